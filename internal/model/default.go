package model

import (
	"bytes"
	_ "embed"
	"sync"
)

// defaultFile is the shipped model: trained on the train split of the UCI,
// Mendeley and Thai corpora and on synthetic business ham (see MODEL.md for
// the exact command, the data and its licences).
//
//go:embed default.model
var defaultFile []byte

var parseDefault = sync.OnceValues(func() (*Model, error) { return Parse(defaultFile) })

// Default returns the shipped model, parsed on first use and shared
// afterwards. The error is only possible if the build embedded a corrupt
// file, which the package's tests rule out.
func Default() (*Model, error) { return parseDefault() }

// businessHam is the synthetic business ham of the default training set
// (synthetic/README.md).
//
//go:embed synthetic/business-ham.jsonl
var businessHam []byte

// BusinessHam returns the hand-written synthetic business ham (OTPs, bank
// alerts, deliveries, reminders) that the default training set adds to the
// corpora, so that a model trained with it does not flag A2P notifications.
func BusinessHam() []Example {
	ex, err := ReadExamples(bytes.NewReader(businessHam))
	if err != nil {
		panic("model: embedded business ham: " + err.Error()) // ruled out by TestBusinessHamParses
	}
	return ex
}
