package model

import (
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
