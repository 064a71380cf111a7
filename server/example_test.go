package server_test

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/server"
)

// A Go gateway that also serves gateways written in other languages mounts
// the Handler in its own server.
func ExampleNew() {
	engine, err := filter.New()
	if err != nil {
		log.Fatal(err)
	}
	h, err := server.New(engine, server.WithBearerToken("s3cret"))
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/msgfilter/", http.StripPrefix("/msgfilter", h))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	req, _ := http.NewRequest("POST", srv.URL+"/msgfilter/v1/check", strings.NewReader(
		`{"id":"m-1","channel":"sms","kind":"promotional","sender":"Shop","recipient":"+905321234567","body":"İndirim"}`))
	req.Header.Set("Authorization", "Bearer s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var answer struct{ Decision server.Result }
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		log.Fatal(err)
	}
	d := answer.Decision
	fmt.Println(resp.StatusCode, d.Action, d.Reasons[0].Code, fmt.Sprintf("%#x", d.SMPPStatus))
	// Output:
	// 403 block PROMOTIONAL_NOT_ALLOWED 0x65
}
