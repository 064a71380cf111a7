package filter

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/msgfilter/msgfilter/rules"
)

// DefaultDebounce is how long Watch waits after the last change before it
// reloads.
const DefaultDebounce = 200 * time.Millisecond

// Watch reloads the policies from dir whenever a file under it changes, and
// whenever the GeoIP databases or the phishing feed the Engine was configured
// with change. Changes are debounced (WithReloadDebounce): a burst of writes
// makes one reload once it has been quiet for that long. A reload that fails
// (a half-written file, a failing Rego test, a vanished feed) is reported
// through WithReloadHook, WithLogger and WithMetrics, and the running
// revision stays; the next change tries again. Watch blocks until ctx is
// done (then it returns nil) or the watcher itself fails.
func (e *Engine) Watch(ctx context.Context, dir string) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("filter: watch: %w", err)
	}
	defer w.Close()
	if err := watchTree(w, dir); err != nil {
		return err
	}
	// Files outside the policy tree: watch their directories (editors and
	// deploys replace files by rename, which a watch on the file misses)
	// and keep only their events.
	extra := map[string]bool{}
	for _, f := range append(append([]string{}, e.opts.geoIPPaths...), e.opts.phishingFeed) {
		if f == "" {
			continue
		}
		abs, err := filepath.Abs(f)
		if err != nil {
			return fmt.Errorf("filter: watch: %w", err)
		}
		extra[abs] = true
		if err := w.Add(filepath.Dir(abs)); err != nil {
			return fmt.Errorf("filter: watch %s: %w", filepath.Dir(abs), err)
		}
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("filter: watch: %w", err)
	}
	debounce := e.opts.debounce
	if debounce <= 0 {
		debounce = DefaultDebounce
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			name, _ := filepath.Abs(ev.Name)
			inTree := name == absDir || strings.HasPrefix(name, absDir+string(filepath.Separator))
			if !inTree && !extra[name] {
				continue
			}
			if inTree && ev.Op.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					_ = watchTree(w, ev.Name) // a new pack directory
				}
			}
			timer.Reset(debounce)
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			e.reported(ReloadEvent{Source: "watch", Previous: e.Revision(), Err: fmt.Errorf("filter: watch: %w", err)})
		case <-timer.C:
			_ = e.reload(ctx, os.DirFS(dir), "watch") // reported inside
		}
	}
}

// watchTree adds dir and every directory under it: fsnotify is not
// recursive.
func watchTree(w *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("filter: watch: %w", err)
		}
		if d.IsDir() {
			if err := w.Add(path); err != nil {
				return fmt.Errorf("filter: watch %s: %w", path, err)
			}
		}
		return nil
	})
}

// PollBundle reloads the policies from a bundle (see rules.ReadBundle) at
// src every interval, starting now. src is a local path, reloaded when its
// size or modification time changes, or an http:// or https:// URL fetched
// with If-None-Match and If-Modified-Since, so an unchanged bundle costs a
// 304. A bundle that fails to download, verify (WithBundleVerification),
// compile or pass its tests is reported like any failed reload and not
// fetched again until its ETag or Last-Modified changes; one refused for
// its size (a Content-Length over rules.DefaultMaxBundleBytes) is refused
// before its body is read. After each failure in a row the wait doubles,
// up to 64 intervals; an unchanged or accepted bundle resets it.
//
// Every fetch must finish within one interval (at least
// MinBundleFetchTimeout): a server that trickles bytes is abandoned and
// the next poll tries again. client nil means a client with timeouts on
// each phase (dial 10 s, TLS handshake 10 s, response headers 30 s); a
// caller's client keeps its own and gets the same fetch deadline.
// PollBundle blocks until ctx is done, then returns nil.
func (e *Engine) PollBundle(ctx context.Context, src string, every time.Duration, client *http.Client) error {
	if every <= 0 {
		return errors.New("filter: poll interval must be positive")
	}
	if client == nil {
		client = newBundleClient()
	}
	remote := strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://")
	var seen validators // of the last bundle fetched, accepted or not
	fails := 0
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		}
		var (
			body []byte
			v    validators
			err  error
		)
		if remote {
			fctx, cancel := context.WithTimeout(ctx, max(every, MinBundleFetchTimeout))
			body, v, err = fetchBundle(fctx, client, src, seen)
			cancel()
		} else {
			body, v.etag, err = readBundleFile(src, seen.etag)
		}
		if v != (validators{}) {
			seen = v
		}
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			fails++
			e.reported(ReloadEvent{Source: "poll", Previous: e.Revision(), Err: err})
		case body == nil:
			fails = 0
		case e.reloadBundle(ctx, bytes.NewReader(body), "poll") != nil: // reported inside
			fails++
		default:
			fails = 0
		}
		timer.Reset(pollDelay(every, fails))
	}
}

// MinBundleFetchTimeout is the least time PollBundle gives one fetch,
// however short the poll interval.
const MinBundleFetchTimeout = time.Second

// pollDelay is the wait before the next poll after fails failures in a
// row: every, doubled per failure up to 64 intervals (and without
// overflowing for huge intervals).
func pollDelay(every time.Duration, fails int) time.Duration {
	d := every
	for range min(fails, 6) {
		if d > math.MaxInt64/2 {
			break
		}
		d *= 2
	}
	return d
}

// newBundleClient returns PollBundle's default client: http.DefaultClient
// has no timeout at all, so a server that accepts and stalls would hold
// the poller forever.
func newBundleClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}}
}

// validators identify a fetched bundle so the next poll can ask whether it
// changed: an HTTP ETag and Last-Modified, or for a file or a server that
// sends neither, a tag of its own (size and mtime, or SHA-256).
type validators struct{ etag, modified string }

// reloadBundle is ReloadBundle with the source named for reports: it opens
// and verifies the bundle, then swaps it in after the downgrade check
// (skipped for "rollback").
func (e *Engine) reloadBundle(ctx context.Context, r io.Reader, source string) error {
	b, err := rules.OpenBundle(r, rules.BundleOptions{Verification: e.opts.verification})
	if err != nil {
		e.reported(ReloadEvent{Source: source, Previous: e.Revision(), Err: err})
		return err
	}
	return e.swapIn(ctx, b.FS, b.Version, source)
}

// fetchBundle returns the bundle at url and its validators, or a nil body
// when the server says it has not changed since prev. A refused response
// still returns its validators, so it is not downloaded again unchanged.
func fetchBundle(ctx context.Context, client *http.Client, url string, prev validators) ([]byte, validators, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, validators{}, fmt.Errorf("filter: bundle: %w", err)
	}
	if prev.etag != "" && !strings.HasPrefix(prev.etag, "sha256=") {
		req.Header.Set("If-None-Match", prev.etag)
	}
	if prev.modified != "" {
		req.Header.Set("If-Modified-Since", prev.modified)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, validators{}, fmt.Errorf("filter: bundle: %w", err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNotModified:
		return nil, prev, nil
	case http.StatusOK:
	default:
		return nil, validators{}, fmt.Errorf("filter: bundle %s: http status %s", url, resp.Status)
	}
	v := validators{etag: resp.Header.Get("ETag"), modified: resp.Header.Get("Last-Modified")}
	if v.etag != "" && v.etag == prev.etag {
		return nil, prev, nil // a server that ignores If-None-Match
	}
	if resp.ContentLength > rules.DefaultMaxBundleBytes {
		return nil, v, fmt.Errorf("filter: bundle %s: %d bytes: %w", url, resp.ContentLength, rules.ErrBundleTooLarge)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, rules.DefaultMaxBundleBytes+1))
	if err != nil {
		return nil, validators{}, fmt.Errorf("filter: bundle %s: %w", url, err)
	}
	if len(body) > rules.DefaultMaxBundleBytes {
		return nil, v, fmt.Errorf("filter: bundle %s: %w", url, rules.ErrBundleTooLarge)
	}
	if v.etag == "" { // no ETag: compare contents
		v.etag = fmt.Sprintf("sha256=%x", sha256.Sum256(body))
		if v.etag == prev.etag {
			return nil, prev, nil
		}
	}
	return body, v, nil
}

// readBundleFile returns the bundle at path, or a nil body when its size
// and modification time are those in seen.
func readBundleFile(path, seen string) ([]byte, string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, "", fmt.Errorf("filter: bundle: %w", err)
	}
	tag := fmt.Sprintf("%d@%d", fi.Size(), fi.ModTime().UnixNano())
	if tag == seen {
		return nil, seen, nil
	}
	body, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("filter: bundle: %w", err)
	}
	return body, tag, nil
}
