package rules_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/bundle"

	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/rules"
)

// testKeys is a freshly generated RSA key pair in PEM, as an operator would
// hand to "opa sign" and to the gateway.
type testKeys struct{ private, public string }

func newKeys(t testing.TB) testKeys {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return testKeys{
		private: string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})),
		public:  string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})),
	}
}

func (k testKeys) signing() *bundle.SigningConfig {
	return bundle.NewSigningConfig(k.private, "RS256", "")
}

func (k testKeys) verification() *bundle.VerificationConfig {
	return bundle.NewVerificationConfig(map[string]*bundle.KeyConfig{
		"ops": {Key: k.public, Algorithm: "RS256"},
	}, "ops", "", nil)
}

// writeBundle bundles fsys, signed when sc is non-nil.
func writeBundle(t testing.TB, fsys fs.FS, sc *bundle.SigningConfig) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := rules.WriteBundle(&buf, fsys, sc, "ops"); err != nil {
		t.Fatalf("WriteBundle: %v", err)
	}
	return buf.Bytes()
}

// untar returns a bundle's files, .signatures.json included.
func untar(t testing.TB, b []byte) map[string][]byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name], _ = io.ReadAll(tr)
	}
}

// tarGz writes files as a tar.gz, in the order given by names when set.
func tarGz(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, b := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(b)
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func TestReadBundleLoadsThePacks(t *testing.T) {
	keys := newKeys(t)
	b := writeBundle(t, policies.FS, keys.signing())
	fsys, err := rules.ReadBundle(bytes.NewReader(b), rules.BundleOptions{Verification: keys.verification()})
	if err != nil {
		t.Fatalf("ReadBundle(signed) = %v, want nil", err)
	}
	ctx := context.Background()
	got, err := rules.Load(ctx, fsys)
	if err != nil {
		t.Fatalf("Load(bundle): %v", err)
	}
	want, err := rules.Load(ctx, policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	if got.Revision() != want.Revision() {
		t.Errorf("bundle revision = %s, want %s (same files as the directory)", got.Revision(), want.Revision())
	}
	if _, ok := got.Pack("global").File("terms/en.jsonl"); !ok {
		t.Errorf("global/terms/en.jsonl missing from the bundle's packs")
	}
}

func TestReadBundleVerification(t *testing.T) {
	keys := newKeys(t)
	other := newKeys(t)
	src := fstest.MapFS{
		"global/global.rego":    {Data: []byte("package msgfilter.global\n")},
		"global/data.json":      {Data: []byte(`{"a": 1}`)},
		"global/terms/en.jsonl": {Data: []byte(`[{"term": "casino"}]`)},
		"global/shorteners.txt": {Data: []byte("bit.ly\n")},
	}
	signed := untar(t, writeBundle(t, src, keys.signing()))
	with := func(edit func(map[string][]byte)) []byte {
		files := maps.Clone(signed)
		edit(files)
		return tarGz(t, files)
	}
	tests := []struct {
		name   string
		bundle []byte
		vc     *bundle.VerificationConfig
		want   error
	}{
		{"signed", tarGz(t, signed), keys.verification(), nil},
		{"signed, verification off", tarGz(t, signed), nil, nil},
		{"unsigned, verification off", writeBundle(t, src, nil), nil, nil},
		{"unsigned", writeBundle(t, src, nil), keys.verification(), rules.ErrBundleUnsigned},
		{"signed with another key", writeBundle(t, src, other.signing()), keys.verification(), rules.ErrBundleSignature},
		{"rego changed", with(func(f map[string][]byte) { f["global/global.rego"] = []byte("package msgfilter.global\n\nx := 1\n") }), keys.verification(), rules.ErrBundleSignature},
		{"term list changed", with(func(f map[string][]byte) { f["global/terms/en.jsonl"] = []byte(`[]`) }), keys.verification(), rules.ErrBundleSignature},
		{"json reformatted only", with(func(f map[string][]byte) { f["global/data.json"] = []byte("{\n  \"a\": 1\n}\n") }), keys.verification(), nil},
		{"file added", with(func(f map[string][]byte) { f["countries/ae/ae.rego"] = []byte("package msgfilter.countries.ae\n") }), keys.verification(), rules.ErrBundleSignature},
		{"file removed", with(func(f map[string][]byte) { delete(f, "global/shorteners.txt") }), keys.verification(), rules.ErrBundleSignature},
		{"signature garbage", with(func(f map[string][]byte) { f[".signatures.json"] = []byte(`{"signatures": ["a.b.c"]}`) }), keys.verification(), rules.ErrBundleSignature},
		{"signatures not json", with(func(f map[string][]byte) { f[".signatures.json"] = []byte(`{`) }), keys.verification(), rules.ErrBundleSignature},
		{"excluded file may change", with(func(f map[string][]byte) { f["global/shorteners.txt"] = []byte("t.co\n") }), func() *bundle.VerificationConfig {
			vc := keys.verification()
			vc.Exclude = []string{"global/shorteners.txt"}
			return vc
		}(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rules.ReadBundle(bytes.NewReader(tt.bundle), rules.BundleOptions{Verification: tt.vc})
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("ReadBundle = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestReadBundleRejectsMalformed(t *testing.T) {
	big := bytes.Repeat([]byte("a"), 2048)
	tests := []struct {
		name   string
		bundle []byte
		opts   rules.BundleOptions
		want   error
	}{
		{"not gzip", []byte("hello"), rules.BundleOptions{}, rules.ErrBundleFormat},
		{"gzip, not tar", gzipped([]byte("hello, this is not a tar archive at all")), rules.BundleOptions{}, rules.ErrBundleFormat},
		{"parent path", tarGz(t, map[string][]byte{"../global/x.rego": nil}), rules.BundleOptions{}, rules.ErrBundleFormat},
		{"unclean path", tarGz(t, map[string][]byte{"global//x.rego": nil}), rules.BundleOptions{}, rules.ErrBundleFormat},
		{"too many bytes", tarGz(t, map[string][]byte{"global/a.txt": big}), rules.BundleOptions{MaxBytes: 1024}, rules.ErrBundleTooLarge},
		{"at the byte cap", tarGz(t, map[string][]byte{"global/a.txt": big}), rules.BundleOptions{MaxBytes: 1 << 20}, nil},
		{"too many files", tarGz(t, map[string][]byte{"global/a.txt": nil, "global/b.txt": nil}), rules.BundleOptions{MaxFiles: 1}, rules.ErrBundleTooLarge},
		{"leading ./ is fine", tarGz(t, map[string][]byte{"./global/a.txt": nil}), rules.BundleOptions{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rules.ReadBundle(bytes.NewReader(tt.bundle), tt.opts)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("ReadBundle = %v, want %v", err, tt.want)
			}
		})
	}
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// FuzzReadBundle: arbitrary bytes never panic, and whatever is accepted is a
// valid fs.FS of clean names.
func FuzzReadBundle(f *testing.F) {
	f.Add([]byte("hello"))
	f.Add(gzipped([]byte("not a tar")))
	f.Add(tarGz(f, map[string][]byte{"global/global.rego": []byte("package msgfilter.global\n"), ".signatures.json": []byte(`{"signatures":["x.y.z"]}`)}))
	keys := newKeys(f)
	vc := keys.verification()
	f.Fuzz(func(t *testing.T, b []byte) {
		fsys, err := rules.ReadBundle(bytes.NewReader(b), rules.BundleOptions{MaxBytes: 1 << 20})
		if err != nil {
			return
		}
		err = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				_, err = fs.ReadFile(fsys, name)
			}
			return err
		})
		if err != nil {
			t.Errorf("accepted bundle does not walk: %v", err)
		}
		if _, err := rules.ReadBundle(bytes.NewReader(b), rules.BundleOptions{Verification: vc}); err == nil {
			t.Errorf("unsigned fuzz input verified with a fresh key")
		}
	})
}

// countingReader counts the bytes a reader consumed.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// entryBomb returns a tar.gz of n directory entries, each behind a PAX
// header of paxBytes, then one small file. The entry is compressed once and
// repeated as concatenated gzip members (which gzip readers accept as one
// stream), so building 8,000 entries of 1 MiB costs milliseconds.
func entryBomb(t testing.TB, n, paxBytes int) []byte {
	t.Helper()
	member := func(write func(tw *tar.Writer) error, end bool) []byte {
		var tb bytes.Buffer
		tw := tar.NewWriter(&tb)
		if err := write(tw); err != nil {
			t.Fatal(err)
		}
		raw := tb.Bytes()
		if end {
			if err := tw.Close(); err != nil {
				t.Fatal(err)
			}
			raw = tb.Bytes()
		} else if err := tw.Flush(); err != nil {
			t.Fatal(err)
		}
		var zb bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&zb, gzip.BestCompression)
		zw.Write(raw)
		zw.Close()
		return zb.Bytes()
	}
	dir := member(func(tw *tar.Writer) error {
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: "global/", Mode: 0o755, Format: tar.FormatPAX,
			PAXRecords: map[string]string{"comment": string(bytes.Repeat([]byte("x"), paxBytes))}})
	}, false)
	last := member(func(tw *tar.Writer) error {
		body := []byte("package msgfilter.global\n")
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "global/g.rego", Mode: 0o644, Size: int64(len(body))}); err != nil {
			return err
		}
		_, err := tw.Write(body)
		return err
	}, true)
	out := bytes.Repeat(dir, n)
	return append(out, last...)
}

// TestReadBundleBoundsEveryEntry: directories and PAX headers count toward
// the bounds, and the reader stops as soon as one is passed, long before the
// end of the stream (and before any signature check).
func TestReadBundleBoundsEveryEntry(t *testing.T) {
	tests := []struct {
		name          string
		entries, pax  int
		wantErr       error // nil = reads
		maxInputBytes int64 // compressed bytes ReadBundle may consume; 0 = no bound
	}{
		{"8000 directories with 1 MiB PAX headers", 8000, 1<<20 - 64, rules.ErrBundleTooLarge, 256 << 10},
		{"20000 empty directories", 20000, 0, rules.ErrBundleTooLarge, 0},
		{"ham twin: a few directories with small PAX headers", 10, 100, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := entryBomb(t, tt.entries, tt.pax)
			cr := &countingReader{r: bytes.NewReader(b)}
			fsys, err := rules.ReadBundle(cr, rules.BundleOptions{})
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("ReadBundle = %v, want success", err)
				}
				if _, err := fs.Stat(fsys, "global/g.rego"); err != nil {
					t.Errorf("file after the directories: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ReadBundle = %v, want %v", err, tt.wantErr)
			}
			if tt.maxInputBytes > 0 && cr.n > tt.maxInputBytes {
				t.Errorf("ReadBundle consumed %d of %d compressed bytes before refusing, want at most %d",
					cr.n, len(b), tt.maxInputBytes)
			}
		})
	}
}

// BenchmarkReadBundleEntryBomb measures what refusing the 8,000-entry,
// 1 MiB-PAX-header bundle costs.
func BenchmarkReadBundleEntryBomb(b *testing.B) {
	bomb := entryBomb(b, 8000, 1<<20-64)
	b.ReportAllocs()
	b.SetBytes(int64(len(bomb)))
	for b.Loop() {
		if _, err := rules.ReadBundle(bytes.NewReader(bomb), rules.BundleOptions{}); !errors.Is(err, rules.ErrBundleTooLarge) {
			b.Fatal(err)
		}
	}
}

func TestWriteBundleRefusesSymlinksOutOfTree(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(outside, []byte("root:x:0:0"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, target string
		ok           bool
	}{
		{"link out of the tree", outside, false},
		{"ham twin: link inside the tree", "global.rego", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			if err := os.MkdirAll(filepath.Join(root, "global"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(root, "global", "global.rego"), []byte("package msgfilter.global\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(tt.target, filepath.Join(root, "global", "data.txt")); err != nil {
				t.Fatal(err)
			}
			err := rules.WriteBundle(io.Discard, os.DirFS(root), nil, "")
			if (err == nil) != tt.ok {
				t.Errorf("WriteBundle = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
