package model_test

import (
	"context"
	"fmt"
	"log"

	"github.com/msgfilter/msgfilter/internal/model"
	"github.com/msgfilter/msgfilter/internal/textnorm"
)

func ExampleModel_Score() {
	m, err := model.Default()
	if err != nil {
		log.Fatal(err)
	}
	var (
		t textnorm.Text // reuse both per goroutine: scoring then allocates nothing
		f model.Features
	)
	for _, body := range []string{
		"Your Acme verification code is 482913. Do not share it with anyone.",
		"URGENT! You have won a £1000 prize. Call 09061701461 now to claim, T&C apply",
	} {
		t.Reset(body)
		f.Extract(&t)
		s := m.Score(&f)
		fmt.Printf("unwanted=%v\n", s.Spam+s.Fraud >= 0.5)
	}
	// Output:
	// unwanted=false
	// unwanted=true
}

func ExampleOnline_Report() {
	ctx := context.Background()
	m, err := model.Default()
	if err != nil {
		log.Fatal(err)
	}
	var counts model.Memory // redisstore.Store for a fleet
	online := model.NewOnline(&counts, 0)

	var f model.Features
	f.Extract(textnorm.Normalize("Your loyalty points expire tonight, redeem them at points-club.example/r"))
	before := m.Score(&f)
	if err := online.Report(ctx, &f, model.Fraud); err != nil {
		log.Fatal(err)
	}
	after := m.Score(&f)
	var sc model.Scratch
	if err := online.Adjust(ctx, &f, &after, &sc); err != nil {
		log.Fatal(err)
	}
	fmt.Println(after.Fraud > before.Fraud)
	// Output: true
}
