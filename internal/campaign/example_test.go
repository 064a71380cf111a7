package campaign_test

import (
	"fmt"

	"github.com/msgfilter/msgfilter/internal/campaign"
)

func Example() {
	a := campaign.Of("your parcel is held at the depot pay the fee at https://x1.example/a to release it today")
	b := campaign.Of("your package is held at the depot pay the fee at https://y2.example/b to release it today")
	shared := 0
	ka, kb := a.Bands(), b.Bands()
	for i := range ka {
		if ka[i] == kb[i] {
			shared++
		}
	}
	fmt.Println(shared > 0)
	// Output: true
}
