package corpus

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/msgfilter/msgfilter/internal/lines"
)

// EnvData is the environment variable naming the data directory.
const EnvData = "MSGFILTER_DATA"

// DataDir returns the directory of the corpora: $MSGFILTER_DATA, else
// shared/data beside the module's root (the workspace's ../shared/data, found
// from the working directory up). The error wraps fs.ErrNotExist when there
// is none: a user's clone has no corpora, and evaluations skip.
func DataDir() (string, error) {
	dir := os.Getenv(EnvData)
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(root, "..", "shared", "data")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", fmt.Errorf("corpus: no data directory %s (set %s): %w", dir, EnvData, fs.ErrNotExist)
	}
	return dir, nil
}

// Path returns the path of rel (slash-separated) in the data directory. The
// error wraps fs.ErrNotExist when the file is absent.
func Path(rel string) (string, error) {
	dir, err := DataDir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("corpus: %w", err)
	}
	return p, nil
}

// Lines returns the entries of a list file of the data directory (one per
// line, '#' comments; see package lines). The error wraps fs.ErrNotExist
// when the file is absent.
func Lines(rel string) ([]string, error) {
	p, err := Path(rel)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	defer f.Close()
	var out []string
	err = lines.Each(f, func(_ int, entry, _ string) error {
		out = append(out, entry)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: %w", rel, err)
	}
	return out, nil
}

// moduleRoot is the nearest directory at or above the working directory
// holding a go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("corpus: no go.mod above the working directory: %w", fs.ErrNotExist)
		}
		dir = parent
	}
}
