package mask_test

import (
	"fmt"

	"github.com/msgfilter/msgfilter/internal/mask"
)

func ExampleText() {
	fmt.Println(mask.Text("Your code is 482913"))
	fmt.Println(mask.Text("رمز التحقق ٤٨٢٩١٣"))
	fmt.Println(mask.Text("call +971501234567 or write to john.doe@example.com"))
	// Output:
	// Your code is ******
	// رمز التحقق ******
	// call +97********67 or write to j*******@example.com
}
