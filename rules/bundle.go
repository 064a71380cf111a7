package rules

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing/fstest"
	"time"

	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/util"
)

// Bundle errors, wrapped by ReadBundle's errors.
var (
	// ErrBundleUnsigned means verification is configured but the bundle
	// has no .signatures.json.
	ErrBundleUnsigned = errors.New("rules: bundle is not signed")
	// ErrBundleSignature means the signature or a file's digest did not
	// verify: the bundle was forged or tampered with.
	ErrBundleSignature = errors.New("rules: bundle signature does not verify")
	// ErrBundleTooLarge means the bundle exceeds BundleOptions' limits.
	ErrBundleTooLarge = errors.New("rules: bundle too large")
	// ErrBundleFormat means the bundle is not a readable tar.gz of regular
	// files with clean relative names.
	ErrBundleFormat = errors.New("rules: malformed bundle")
)

// Default bundle limits: far above the shipped packs (about 1 MB), far below
// what would hurt a gateway.
const (
	DefaultMaxBundleBytes = 64 << 20
	DefaultMaxBundleFiles = 10000
)

// OPA's names for a bundle's signatures and manifest.
const (
	signaturesFile = ".signatures.json"
	manifestFile   = ".manifest"
)

// BundleOptions configures ReadBundle. The zero value reads an unverified
// bundle with the default limits.
type BundleOptions struct {
	// Verification holds the public keys (OPA's bundle verification
	// config, as OPA's own "bundles.<name>.signing" settings). When set,
	// every bundle must carry a .signatures.json whose JWT verifies with
	// one of the keys and lists every file with its digest; Exclude
	// patterns name files left out of the signature. When nil, signatures
	// are ignored.
	Verification *bundle.VerificationConfig
	// MaxBytes caps the size of the files' contents, compressed and
	// uncompressed; the tar stream, headers and PAX records included, may
	// add at most 2 KiB per entry to it. 0 means DefaultMaxBundleBytes.
	MaxBytes int64
	// MaxFiles caps the number of tar entries, directories included; 0
	// means DefaultMaxBundleFiles.
	MaxFiles int
}

// ReadBundle is OpenBundle for callers that do not track bundle versions:
// it returns the bundle's files only.
func ReadBundle(r io.Reader, opts BundleOptions) (fs.FS, error) {
	b, err := OpenBundle(r, opts)
	if err != nil {
		return nil, err
	}
	return b.FS, nil
}

// Bundle is a read and, where configured, verified policy bundle.
type Bundle struct {
	// FS holds the policy source for Load (.manifest and
	// .signatures.json left out).
	FS fs.FS
	// Version is what the bundle says about its age, for CheckUpgrade.
	Version BundleVersion
}

// OpenBundle reads a policy bundle: a gzip-compressed tar of a policy source
// in the pack layout (global/, countries/<cc>/, channels/<name>/), optionally
// signed the way OPA signs bundles (a .signatures.json at the top whose JWT
// lists each file's digest; see WriteBundle and "opa sign"). It returns the
// source for Load. With verification configured, an unsigned bundle fails with
// ErrBundleUnsigned, and a bad signature, a file missing from the signature,
// a changed file or a signed file that is absent fail with ErrBundleSignature.
// ".manifest" is verified when signed and gives Version.Revision; with
// verification configured the signature's "iat" claim gives Version.Issued.
func OpenBundle(r io.Reader, opts BundleOptions) (*Bundle, error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBundleBytes
	}
	if opts.MaxFiles <= 0 {
		opts.MaxFiles = DefaultMaxBundleFiles
	}
	zr, err := gzip.NewReader(io.LimitReader(r, opts.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBundleFormat, err)
	}
	defer zr.Close()
	// Every byte of the tar stream counts, not only file contents: headers,
	// PAX records (up to 1 MiB each in archive/tar) and directory entries
	// cost CPU and memory before any signature is checked, so a bundle of
	// thousands of empty entries with huge headers is refused as soon as it
	// is too large, not after decompressing gigabytes.
	stream := &boundedReader{r: zr, left: opts.MaxBytes + tarOverhead(opts.MaxFiles)}
	var data int64 // bytes of entry data and padding before the current header
	tooLarge := func() error {
		return fmt.Errorf("%w: more than %d bytes uncompressed (headers included)", ErrBundleTooLarge, opts.MaxBytes)
	}
	files := map[string][]byte{}
	var total int64
	entries := 0
	tr := tar.NewReader(stream)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if stream.exceeded {
			return nil, tooLarge()
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBundleFormat, err)
		}
		if entries++; entries > opts.MaxFiles {
			return nil, fmt.Errorf("%w: more than %d entries", ErrBundleTooLarge, opts.MaxFiles)
		}
		// Whatever the stream held besides entry data was headers: a few
		// hundred bytes per entry in a real bundle, up to 1 MiB of PAX
		// records each in a hostile one. Stop at the second such header.
		if headers := stream.read - data; headers > maxHeaderBytes(entries) {
			return nil, fmt.Errorf("%w: %d bytes of tar headers for %d entries", ErrBundleTooLarge, headers, entries)
		}
		data += (max(h.Size, 0) + 511) &^ 511
		name := strings.TrimPrefix(path.Clean("/"+h.Name), "/")
		switch h.Typeflag {
		case tar.TypeDir:
			continue
		case tar.TypeReg:
		default:
			return nil, fmt.Errorf("%w: %s is not a regular file", ErrBundleFormat, h.Name)
		}
		if name == "" || name != strings.TrimPrefix(strings.TrimPrefix(h.Name, "./"), "/") || !fs.ValidPath(name) {
			return nil, fmt.Errorf("%w: file name %q is not clean", ErrBundleFormat, h.Name)
		}
		if _, dup := files[name]; dup {
			return nil, fmt.Errorf("%w: %s appears twice", ErrBundleFormat, name)
		}
		if h.Size > opts.MaxBytes-total {
			return nil, tooLarge()
		}
		b, err := io.ReadAll(io.LimitReader(tr, opts.MaxBytes-total+1))
		if stream.exceeded {
			return nil, tooLarge()
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrBundleFormat, name, err)
		}
		total += int64(len(b))
		if total > opts.MaxBytes {
			return nil, tooLarge()
		}
		files[name] = b
	}
	var v BundleVersion
	if vc := opts.Verification; vc != nil {
		if v.Issued, err = verifyBundle(files, vc); err != nil {
			return nil, err
		}
	}
	if raw, ok := files[manifestFile]; ok {
		var m struct {
			Revision string `json:"revision"`
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrBundleFormat, manifestFile, err)
		}
		v.Revision = m.Revision
	}
	fsys := fstest.MapFS{}
	for name, b := range files {
		if name == signaturesFile || name == manifestFile {
			continue
		}
		fsys[name] = &fstest.MapFile{Data: b, Mode: 0o444}
	}
	return &Bundle{FS: fsys, Version: v}, nil
}

// maxHeaderBytes bounds the tar header bytes, PAX records included, of the
// first n entries: 1 MiB (one maximal PAX header) plus 2 KiB per entry.
func maxHeaderBytes(n int) int64 { return 1<<20 + int64(n)*2048 }

// tarOverhead is what a tar stream of n entries may add to its contents: a
// 512-byte header and up to 511 bytes of padding per entry, a PAX header
// entry of the same size before it, and the two zero blocks at the end.
// Bigger headers count against the contents' bound.
func tarOverhead(n int) int64 { return int64(n)*4*512 + 2*512 }

// boundedReader reads at most left bytes from r, then fails: it bounds what
// archive/tar may consume, headers included.
type boundedReader struct {
	r        io.Reader
	left     int64
	read     int64
	exceeded bool
}

var errBoundReached = errors.New("rules: bundle stream bound reached")

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		b.exceeded = true
		return 0, errBoundReached
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	b.read += int64(n)
	return n, err
}

// verifyBundle checks the JWT with OPA's verifier, then every file against
// the digests it lists, in both directions. It returns the token's "iat"
// claim (zero when absent).
func verifyBundle(files map[string][]byte, vc *bundle.VerificationConfig) (time.Time, error) {
	raw, ok := files[signaturesFile]
	if !ok {
		return time.Time{}, ErrBundleUnsigned
	}
	var sc bundle.SignaturesConfig
	if err := json.Unmarshal(raw, &sc); err != nil {
		return time.Time{}, fmt.Errorf("%w: %s: %w", ErrBundleSignature, signaturesFile, err)
	}
	signed, err := bundle.VerifyBundleSignature(sc, vc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %w", ErrBundleSignature, err)
	}
	// OPA verified the token, so its payload is trusted; it returns only
	// the file list, so read the issue time here.
	issued, err := issuedAt(sc.Signatures[0])
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %w", ErrBundleSignature, err)
	}
	for _, name := range sortedKeys(files) {
		if name == signaturesFile || excluded(name, vc.Exclude) {
			delete(signed, name)
			continue
		}
		if err := bundle.VerifyBundleFile(name, *bytes.NewBuffer(files[name]), signed); err != nil {
			return time.Time{}, fmt.Errorf("%w: %w", ErrBundleSignature, err)
		}
	}
	if len(signed) > 0 {
		return time.Time{}, fmt.Errorf("%w: signed files missing from the bundle: %s", ErrBundleSignature, strings.Join(sortedKeys(signed), ", "))
	}
	return issued, nil
}

// issuedAt returns the "iat" claim of a compact JWT whose signature was
// verified, or zero when it has none.
func issuedAt(token string) (time.Time, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, errors.New("signature is not a compact JWT")
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, fmt.Errorf("signature payload: %w", err)
	}
	var claims struct {
		IssuedAt *json.Number `json:"iat"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return time.Time{}, fmt.Errorf("signature payload: %w", err)
	}
	if claims.IssuedAt == nil {
		return time.Time{}, nil
	}
	sec, err := claims.IssuedAt.Float64()
	if err != nil || sec <= 0 || sec > 1<<40 {
		return time.Time{}, fmt.Errorf("signature iat %q is not a time", claims.IssuedAt.String())
	}
	return time.Unix(0, int64(sec*1e9)).UTC(), nil
}

func excluded(name string, patterns []string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}

// WriteBundle writes the files of fsys as a bundle ReadBundle reads: a
// tar.gz with the files in name order. With sc non-nil, it signs the bundle
// with OPA's signer (SHA-256 digests; JSON files hashed by value, as OPA
// does) and keyID as the token's "keyid" claim ("" leaves it out).
func WriteBundle(w io.Writer, fsys fs.FS, sc *bundle.SigningConfig, keyID string) error {
	files := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// As Load does: a bundle must not carry a file from outside
			// the tree it was built from.
			if err := inTree(fsys, name); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		b, err := fs.ReadFile(fsys, name)
		files[name] = b
		return err
	})
	if err != nil {
		return fmt.Errorf("rules: writing bundle: %w", err)
	}
	if sc != nil {
		delete(files, signaturesFile)
		token, err := signBundle(files, sc, keyID)
		if err != nil {
			return err
		}
		if files[signaturesFile], err = json.Marshal(bundle.SignaturesConfig{Signatures: []string{token}}); err != nil {
			return fmt.Errorf("rules: signing bundle: %w", err)
		}
	}
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	names := sortedKeys(files)
	if i := slices.Index(names, signaturesFile); i > 0 { // first, as OPA writes it
		names = append([]string{signaturesFile}, slices.Delete(names, i, i+1)...)
	}
	for _, name := range names {
		h := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(files[name])), Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0)}
		if err := tw.WriteHeader(h); err != nil {
			return fmt.Errorf("rules: writing bundle: %w", err)
		}
		if _, err := tw.Write(files[name]); err != nil {
			return fmt.Errorf("rules: writing bundle: %w", err)
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("rules: writing bundle: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("rules: writing bundle: %w", err)
	}
	return nil
}

func signBundle(files map[string][]byte, sc *bundle.SigningConfig, keyID string) (string, error) {
	h, err := bundle.NewSignatureHasher(bundle.SHA256)
	if err != nil {
		return "", fmt.Errorf("rules: signing bundle: %w", err)
	}
	var infos []bundle.FileInfo
	for _, name := range sortedKeys(files) {
		var v any = files[name]
		if bundle.IsStructuredDoc(name) {
			if err := util.Unmarshal(files[name], &v); err != nil {
				return "", fmt.Errorf("rules: signing bundle: %s: %w", name, err)
			}
		}
		sum, err := h.HashFile(v)
		if err != nil {
			return "", fmt.Errorf("rules: signing bundle: %s: %w", name, err)
		}
		infos = append(infos, bundle.NewFile(name, hex.EncodeToString(sum), bundle.SHA256.String()))
	}
	token, err := bundle.GenerateSignedToken(infos, sc, keyID)
	if err != nil {
		return "", fmt.Errorf("rules: signing bundle: %w", err)
	}
	return token, nil
}
