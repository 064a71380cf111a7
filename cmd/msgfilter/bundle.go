package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/msgfilter/msgfilter/rules"
	"github.com/open-policy-agent/opa/v1/bundle"
)

const bundleUsage = `usage:
  msgfilter bundle build [-o FILE] DIR           bundle a policy directory (it must load)
  msgfilter bundle sign -key FILE [-alg ALG] [-key-id ID] [-o FILE] BUNDLE
                                                 sign a bundle with OPA's bundle signing
  msgfilter bundle verify -key FILE [-alg ALG] [-key-id ID] BUNDLE
                                                 check its signature and that it loads
  msgfilter bundle inspect BUNDLE                list its files, signature and packs

A bundle is a tar.gz of the pack layout that check -policies, the engine's
ReloadBundle and PollBundle read. Keys are PEM files (RSA or EC; for HS256 the
file holds the shared secret); verify takes the public key.
`

// Defaults of the signing flags: OPA's default algorithm, and the key id a
// gateway's verification config names when the operator picks none.
const (
	defaultSigningAlg = "RS256"
	defaultKeyID      = "default"
)

// runBundle dispatches "bundle <verb>".
func runBundle(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return &usageError{msg: "bundle takes a verb: build, sign, verify or inspect", usage: bundleUsage}
	}
	switch args[0] {
	case "build":
		return runBundleBuild(ctx, args[1:], stdout)
	case "sign":
		return runBundleSign(ctx, args[1:], stdout)
	case "verify":
		return runBundleVerify(ctx, args[1:], stdout)
	case "inspect":
		return runBundleInspect(ctx, args[1:], stdout)
	}
	if isHelp(args[0]) {
		fmt.Fprint(stdout, bundleUsage)
		return errHelp
	}
	return &usageError{msg: fmt.Sprintf("unknown bundle verb %q", args[0]), usage: bundleUsage}
}

func runBundleBuild(ctx context.Context, args []string, stdout io.Writer) error {
	flags := newVerb("bundle build", "bundle build [-o FILE] DIR",
		"Bundles a policy directory after loading it as the engine would: a directory\nthat does not compile makes no bundle.")
	out := flags.String("o", "bundle.tar.gz", "bundle to write")
	rest, err := flags.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return flags.usageErr("bundle build takes one policy directory")
	}
	st, err := os.Stat(rest[0])
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("bundle: %s is not a directory", rest[0])
	}
	src := os.DirFS(rest[0])
	set, err := rules.Load(ctx, src)
	if err != nil {
		return fmt.Errorf("bundle: %s: %w", rest[0], err)
	}
	if err := writeAtomic(*out, func(w io.Writer) error { return rules.WriteBundle(w, src, nil, "") }); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s: %d packs, revision %s\n", *out, len(set.Packs()), set.Revision())
	return nil
}

// keyFlags are the flags of sign and verify.
type keyFlags struct {
	key, alg, keyID *string
}

func addKeyFlags(v *verb, keyHelp string) keyFlags {
	return keyFlags{
		key:   v.String("key", "", keyHelp),
		alg:   v.String("alg", defaultSigningAlg, "signing algorithm (RS256, RS512, PS256, ES256, ES384, HS256...)"),
		keyID: v.String("key-id", defaultKeyID, "key id: the name the gateway's verification config gives the key"),
	}
}

// read returns the key file's content.
func (k keyFlags) read() (string, error) {
	if *k.key == "" {
		return "", fmt.Errorf("bundle: -key FILE is required")
	}
	b, err := os.ReadFile(*k.key)
	if err != nil {
		return "", fmt.Errorf("bundle: key: %w", err)
	}
	return string(b), nil
}

// verification is the config the engine's WithBundleVerification takes for
// this one public key.
func (k keyFlags) verification() (*bundle.VerificationConfig, error) {
	pub, err := k.read()
	if err != nil {
		return nil, err
	}
	return bundle.NewVerificationConfig(map[string]*bundle.KeyConfig{
		*k.keyID: {Key: pub, Algorithm: *k.alg},
	}, *k.keyID, "", nil), nil
}

func runBundleSign(ctx context.Context, args []string, stdout io.Writer) error {
	flags := newVerb("bundle sign", "bundle sign -key FILE [-alg ALG] [-key-id ID] [-o FILE] BUNDLE",
		"Signs a bundle as OPA signs bundles: a .signatures.json whose JWT lists every\nfile's SHA-256. The bundle must load; an existing signature is replaced.")
	keys := addKeyFlags(flags, "private key (PEM) or HS256 secret file (required)")
	out := flags.String("o", "", "signed bundle to write (default: replace BUNDLE)")
	rest, err := flags.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return flags.usageErr("bundle sign takes one bundle")
	}
	priv, err := keys.read()
	if err != nil {
		return err
	}
	src, err := readBundleFile(rest[0], nil)
	if err != nil {
		return err
	}
	set, err := rules.Load(ctx, src)
	if err != nil {
		return fmt.Errorf("bundle: %s: %w", rest[0], err)
	}
	sc := bundle.NewSigningConfig(priv, *keys.alg, "")
	var signed bytes.Buffer
	if err := rules.WriteBundle(&signed, src, sc, *keys.keyID); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	dest := *out
	if dest == "" {
		dest = rest[0]
	}
	if err := writeAtomic(dest, func(w io.Writer) error { _, err := signed.WriteTo(w); return err }); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	fmt.Fprintf(stdout, "signed %s with key %q (%s): revision %s\n", dest, *keys.keyID, *keys.alg, set.Revision())
	return nil
}

func runBundleVerify(ctx context.Context, args []string, stdout io.Writer) error {
	flags := newVerb("bundle verify", "bundle verify -key FILE [-alg ALG] [-key-id ID] BUNDLE",
		"Checks a bundle as a gateway with this public key would before loading it:\nthe signature, every file's digest, and that the policies compile.")
	keys := addKeyFlags(flags, "public key (PEM) or HS256 secret file (required)")
	rest, err := flags.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return flags.usageErr("bundle verify takes one bundle")
	}
	vc, err := keys.verification()
	if err != nil {
		return err
	}
	src, err := readBundleFile(rest[0], vc)
	if err != nil {
		return err
	}
	set, err := rules.Load(ctx, src)
	if err != nil {
		return fmt.Errorf("bundle: %s: %w", rest[0], err)
	}
	fmt.Fprintf(stdout, "verified %s with key %q: %d packs, revision %s\n", rest[0], *keys.keyID, len(set.Packs()), set.Revision())
	return nil
}

func runBundleInspect(ctx context.Context, args []string, stdout io.Writer) error {
	flags := newVerb("bundle inspect", "bundle inspect BUNDLE",
		"Lists a bundle's files with their sizes and SHA-256, whether it is signed (not\nverified: use bundle verify), its packs and its policy revision.")
	rest, err := flags.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return flags.usageErr("bundle inspect takes one bundle")
	}
	raw, err := os.ReadFile(rest[0])
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	src, err := rules.ReadBundle(bytes.NewReader(raw), rules.BundleOptions{})
	if err != nil {
		return fmt.Errorf("bundle: %s: %w", rest[0], err)
	}
	// ReadBundle with no verification leaves the signature out of the
	// source; asking for it with an impossible key tells whether there is one.
	_, err = rules.ReadBundle(bytes.NewReader(raw), rules.BundleOptions{Verification: &bundle.VerificationConfig{}})
	signed := "yes (verify it with bundle verify)"
	if errors.Is(err, rules.ErrBundleUnsigned) {
		signed = "no"
	}
	fmt.Fprintf(stdout, "bundle: %s (%d bytes)\nsigned: %s\n", rest[0], len(raw), signed)
	fmt.Fprintln(stdout, "files:")
	err = fs.WalkDir(src, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(src, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		fmt.Fprintf(stdout, "  %8d  %s  %s\n", len(b), hex.EncodeToString(sum[:8]), name)
		return nil
	})
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	set, err := rules.Load(ctx, src)
	if err != nil {
		fmt.Fprintf(stdout, "loads: no\n")
		return fmt.Errorf("bundle: %s: %w", rest[0], err)
	}
	var names []string
	for _, p := range set.Packs() {
		names = append(names, p.Name)
	}
	fmt.Fprintf(stdout, "packs: %s\nrevision: %s\n", strings.Join(names, " "), set.Revision())
	return nil
}

// readBundleFile reads a bundle file, verified with vc when non-nil.
func readBundleFile(path string, vc *bundle.VerificationConfig) (fs.FS, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	defer f.Close()
	src, err := rules.ReadBundle(f, rules.BundleOptions{Verification: vc})
	if err != nil {
		return nil, fmt.Errorf("bundle: %s: %w", path, err)
	}
	return src, nil
}

// writeAtomic writes a file beside path and renames it into place once
// complete, so a gateway polling the path never reads half a bundle.
func writeAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // finds nothing after the rename
	err = write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
