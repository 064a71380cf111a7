package rules

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// Pack kinds.
const (
	KindGlobal  = "global"
	KindCountry = "countries"
	KindChannel = "channels"
)

// Pack is one loaded policy pack.
type Pack struct {
	Name string // "global", "countries/ae", "channels/viber"
	Kind string // KindGlobal, KindCountry or KindChannel
	Code string // "ae", "viber"; "" for global

	// Data is the pack's data.json as decoded JSON (nil when absent). It is
	// shared with the compiled policies: never modify it.
	Data map[string]any

	files map[string][]byte // other files, by path relative to the pack
	quiet map[string]QuietSpec
}

// QuietHours returns the pack's quiet-hours specs, data.json's quiet_hours,
// by name, parsed when the pack loaded (nil without any). The map is shared:
// never modify it.
func (p *Pack) QuietHours() map[string]QuietSpec { return p.quiet }

// File returns the content of a non-Rego file of the pack (e.g.
// "terms/en.jsonl") and whether it exists.
func (p *Pack) File(name string) ([]byte, bool) {
	b, ok := p.files[name]
	return b, ok
}

// Files returns the names of the pack's non-Rego files that match the
// path.Match pattern, sorted.
func (p *Pack) Files(pattern string) []string {
	var names []string
	for name := range p.files {
		if ok, _ := path.Match(pattern, name); ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// Set is a compiled policy source: every pack, its citations, and one
// prepared query per destination country and channel. A Set is immutable and
// safe for concurrent use.
type Set struct {
	revision  string
	packs     map[string]*Pack
	citations map[string]Citation
	queries   map[queryKey]*rego.PreparedEvalQuery
	reads     map[queryKey]*Reads    // what each query can read (refs.go); nil when the analysis failed
	parts     map[queryKey][]*Part   // each query's parts: its packs' definitions, apart (Parts, split.go)
	residual  map[string]string      // a pack's reasons ref → its residual rule's (partial.go)
	modules   map[string]*ast.Module // policy modules by file name
	tests     map[string]*ast.Module // *_test.rego modules by file name
	data      map[string]any         // the whole data document given to Rego
	// clock: see Clock (clock.go).
	clock ClockUse
}

type queryKey struct{ country, channel string }

// Revision identifies the policy source's content: a hash of every file's
// name and bytes. Two Sets loaded from identical sources share a revision.
func (s *Set) Revision() string { return s.revision }

// Pack returns the pack with the given name ("global", "countries/ae",
// "channels/viber"), or nil.
func (s *Set) Pack(name string) *Pack { return s.packs[name] }

// Packs returns every pack, sorted by name.
func (s *Set) Packs() []*Pack {
	packs := make([]*Pack, 0, len(s.packs))
	for _, p := range s.packs {
		packs = append(packs, p)
	}
	sort.Slice(packs, func(i, j int) bool { return packs[i].Name < packs[j].Name })
	return packs
}

// Citation returns the METADATA of the rule with the given id.
func (s *Set) Citation(ruleID string) (Citation, bool) {
	c, ok := s.citations[ruleID]
	return c, ok
}

// Citations returns every rule's citation, by rule id.
func (s *Set) Citations() map[string]Citation {
	out := make(map[string]Citation, len(s.citations))
	for k, v := range s.citations {
		out[k] = v
	}
	return out
}

// Default size bounds of Load: far above the shipped packs (about 1 MB in
// all, the largest file about 200 KB), far below what would hurt a gateway.
// A policy source is trusted less than the binary: a bundle from a server or
// a mounted directory must not be able to make a node allocate gigabytes.
const (
	DefaultMaxFileBytes   = 8 << 20
	DefaultMaxSourceBytes = 64 << 20
)

// ErrPolicyTooLarge means a policy file or the whole source exceeds Load's
// size bounds; the *PolicyError that wraps it names the file.
var ErrPolicyTooLarge = errors.New("rules: policy source too large")

// LoadOption configures Load.
type LoadOption func(*loadOptions)

type loadOptions struct {
	maxFileBytes, maxSourceBytes int64
}

// WithMaxFileBytes bounds each file of the source (Rego, data.json, term
// lists...); n <= 0 means DefaultMaxFileBytes.
func WithMaxFileBytes(n int64) LoadOption {
	return func(o *loadOptions) { o.maxFileBytes = n }
}

// WithMaxSourceBytes bounds the sum of all files of the source; n <= 0 means
// DefaultMaxSourceBytes.
func WithMaxSourceBytes(n int64) LoadOption {
	return func(o *loadOptions) { o.maxSourceBytes = n }
}

// Load reads every pack of fsys, compiles the policies once with OPA and
// prepares the evaluation queries. All problems found are returned together
// as a *LoadError. Load never changes fsys.
//
// Every file is bounded (WithMaxFileBytes, WithMaxSourceBytes): a file over
// a bound fails the load with a *PolicyError wrapping ErrPolicyTooLarge,
// before it is read whole. A symbolic link is followed only when it resolves
// inside fsys (when fsys implements fs.ReadLinkFS, as os.DirFS does); one
// that leaves the tree, or that cannot be resolved, is a *PolicyError.
func Load(ctx context.Context, fsys fs.FS, opts ...LoadOption) (*Set, error) {
	o := loadOptions{}
	for _, opt := range opts {
		opt(&o)
	}
	if o.maxFileBytes <= 0 {
		o.maxFileBytes = DefaultMaxFileBytes
	}
	if o.maxSourceBytes <= 0 {
		o.maxSourceBytes = DefaultMaxSourceBytes
	}
	l := loader{
		opts: o,
		set: &Set{
			packs:     map[string]*Pack{},
			citations: map[string]Citation{},
			queries:   map[queryKey]*rego.PreparedEvalQuery{},
			parts:     map[queryKey][]*Part{},
			modules:   map[string]*ast.Module{},
			tests:     map[string]*ast.Module{},
		},
		hash: sha256.New(),
	}
	if err := l.readPacks(fsys); err != nil {
		return nil, err
	}
	if len(l.set.packs) == 0 {
		return nil, ErrNoPolicies
	}
	l.checkQuietNames()
	if len(l.errs) > 0 {
		return nil, &LoadError{Errs: l.errs}
	}
	compiler := newCompiler()
	compiler.Compile(l.set.modules)
	if compiler.Failed() {
		return nil, compileError(compiler.Errors)
	}
	l.readCitations(compiler)
	if len(l.errs) > 0 {
		return nil, &LoadError{Errs: l.errs}
	}
	l.set.clock = clockUse(compiler.Modules)
	l.set.data = l.data
	// Keep data as Rego values: read as Go values, a big document would be
	// converted on every evaluation that touches it, in one step that does
	// not notice the deadline.
	store := inmem.NewFromObjectWithOpts(l.data, inmem.OptRoundTripOnWrite(false), inmem.OptReturnASTValuesOnRead(true))
	if err := l.prepare(ctx, compiler, store); err != nil {
		return nil, err
	}
	l.set.revision = hex.EncodeToString(l.hash.Sum(nil))[:16]
	return l.set, nil
}

func newCompiler() *ast.Compiler {
	return ast.NewCompiler().
		WithCapabilities(capabilities()).
		WithDefaultRegoVersion(ast.RegoV1).
		WithEnablePrintStatements(false)
}

type loader struct {
	opts  loadOptions
	total int64 // bytes read so far, against opts.maxSourceBytes
	set   *Set
	data  map[string]any
	errs  []*PolicyError
	hash  interface {
		Write([]byte) (int, error)
		Sum([]byte) []byte
	}
}

func (l *loader) fail(file string, row int, format string, args ...any) {
	l.errs = append(l.errs, &PolicyError{File: file, Row: row, Msg: fmt.Sprintf(format, args...)})
}

// readPacks walks the top level of fsys: global/, countries/*/, channels/*/.
func (l *loader) readPacks(fsys fs.FS) error {
	l.data = map[string]any{}
	for _, dir := range [...]string{KindGlobal, KindCountry, KindChannel} {
		// A linked pack directory would make every file under it look
		// in-tree to the walk: refuse it rather than follow or skip it.
		if info, err := fs.Lstat(fsys, dir); err == nil && info.Mode()&fs.ModeSymlink != 0 {
			l.fail(dir, 0, "pack directories must not be symbolic links")
			return nil
		}
	}
	if _, err := fs.Stat(fsys, KindGlobal); err == nil {
		if err := l.readPack(fsys, KindGlobal, KindGlobal, ""); err != nil {
			return err
		}
	}
	for _, kind := range []string{KindCountry, KindChannel} {
		entries, err := fs.ReadDir(fsys, kind)
		if err != nil {
			continue // a source may have no country or channel packs
		}
		for _, e := range entries {
			if e.Type()&fs.ModeSymlink != 0 {
				l.fail(kind+"/"+e.Name(), 0, "pack directories must not be symbolic links")
				continue
			}
			if !e.IsDir() {
				continue
			}
			code := e.Name()
			if code != strings.ToLower(code) {
				l.fail(kind+"/"+code, 0, "pack directory names are lower case")
				continue
			}
			if err := l.readPack(fsys, kind+"/"+code, kind, code); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *loader) readPack(fsys fs.FS, dir, kind, code string) error {
	p := &Pack{Name: dir, Kind: kind, Code: code, files: map[string][]byte{}}
	wantPkg := packageRef(kind, code)
	err := fs.WalkDir(fsys, dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		src, err := l.readFile(fsys, name, d)
		if err != nil {
			var pe *PolicyError
			if errors.As(err, &pe) {
				l.errs = append(l.errs, pe)
				if errors.Is(err, ErrPolicyTooLarge) {
					return fs.SkipAll // fail fast: reading on would only cost more
				}
				return nil
			}
			return err
		}
		l.hash.Write([]byte(name))
		l.hash.Write([]byte{0})
		l.hash.Write(src)
		l.hash.Write([]byte{0})
		rel := strings.TrimPrefix(name, dir+"/")
		switch {
		case strings.HasSuffix(name, ".rego"):
			mod, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{
				ProcessAnnotation: true,
				RegoVersion:       ast.RegoV1,
			})
			if err != nil {
				l.parseErrors(name, err)
				return nil
			}
			isTest := strings.HasSuffix(name, "_test.rego")
			if got := mod.Package.Path; !isTest && !got.Equal(wantPkg) {
				l.fail(name, mod.Package.Location.Row, "package %s, want %s for this directory",
					strings.TrimPrefix(got.String(), "data."), strings.TrimPrefix(wantPkg.String(), "data."))
				return nil
			}
			if isTest {
				l.set.tests[name] = mod
			} else {
				l.set.modules[name] = mod
			}
		case rel == "data.json":
			var data map[string]any
			dec := json.NewDecoder(bytes.NewReader(src))
			dec.UseNumber()
			if err := dec.Decode(&data); err != nil {
				l.fail(name, 0, "data.json must be a JSON object: %v", err)
				return nil
			}
			p.Data = data
			l.mount(name, data)
		case strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml"):
			// OPA's loader would mount it, the engine would not: refused,
			// so that stock opa and the engine see the same data.
			l.fail(name, 0, "YAML data is not supported: write JSON")
		default:
			p.files[rel] = src
			if strings.HasSuffix(name, ".json") {
				// OPA's loader mounts every .json file (brands.json, a
				// registry) at its directory: so does the engine.
				var doc any
				dec := json.NewDecoder(bytes.NewReader(src))
				dec.UseNumber()
				if err := dec.Decode(&doc); err != nil {
					l.fail(name, 0, "invalid JSON: %v", err)
					return nil
				}
				l.mount(name, doc)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("rules: reading %s: %w", dir, err)
	}
	l.set.packs[dir] = p
	if p.Data != nil {
		p.quiet = l.readQuietHours(dir, p.Data)
	}
	return nil
}

// readFile reads one file of a pack within the size bounds, refusing a
// symbolic link that leaves fsys and anything that is not a regular file.
func (l *loader) readFile(fsys fs.FS, name string, d fs.DirEntry) ([]byte, error) {
	if d.Type()&fs.ModeSymlink != 0 {
		if err := inTree(fsys, name); err != nil {
			return nil, &PolicyError{File: name, Msg: err.Error()}
		}
	}
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &PolicyError{File: name, Msg: "not a regular file"}
	}
	left := min(l.opts.maxFileBytes, l.opts.maxSourceBytes-l.total)
	if info.Size() > left {
		return nil, l.tooLarge(name)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The size Stat reported may change or lie (a FIFO, a growing file):
	// the limit holds whatever it said.
	src, err := io.ReadAll(io.LimitReader(f, left+1))
	if err != nil {
		return nil, err
	}
	if int64(len(src)) > left {
		return nil, l.tooLarge(name)
	}
	l.total += int64(len(src))
	return src, nil
}

func (l *loader) tooLarge(name string) error {
	return &PolicyError{File: name, Msg: fmt.Sprintf("policy file over the size bound (%d bytes per file, %d in all)",
		l.opts.maxFileBytes, l.opts.maxSourceBytes), err: ErrPolicyTooLarge}
}

// maxLinkHops bounds how many symbolic links inTree follows in a chain.
const maxLinkHops = 8

// inTree reports an error unless the symbolic link name resolves, through
// at most maxLinkHops links, to a file inside fsys. Policy files are read
// by a privileged process: a link to /etc/passwd or ../../secrets must not
// turn into policy data.
func inTree(fsys fs.FS, name string) error {
	rl, ok := fsys.(fs.ReadLinkFS)
	if !ok {
		return errors.New("symbolic link in a source that cannot resolve it")
	}
	for range maxLinkHops {
		target, err := rl.ReadLink(name)
		if err != nil {
			return fmt.Errorf("symbolic link: %w", err)
		}
		if path.IsAbs(target) || strings.HasPrefix(target, "/") {
			return fmt.Errorf("symbolic link to %s leaves the policy tree", target)
		}
		name = path.Join(path.Dir(name), target)
		if !fs.ValidPath(name) {
			return fmt.Errorf("symbolic link to %s leaves the policy tree", target)
		}
		// A linked directory on the way would take the path out of the
		// tree again, unseen by the checks above.
		for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
			if info, err := fs.Lstat(fsys, dir); err != nil || info.Mode()&fs.ModeSymlink != 0 {
				return fmt.Errorf("symbolic link to %s passes through a linked or missing directory %s", target, dir)
			}
		}
		info, err := fs.Lstat(fsys, name)
		if err != nil {
			return fmt.Errorf("symbolic link: %w", err)
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			return nil
		}
	}
	return fmt.Errorf("more than %d symbolic links in a chain", maxLinkHops)
}

// readQuietHours parses every spec under data.json's quiet_hours, so that a
// malformed one fails the load instead of every check that reaches it.
func (l *loader) readQuietHours(dir string, data map[string]any) map[string]QuietSpec {
	specs, ok := data["quiet_hours"]
	if !ok {
		return nil
	}
	obj, ok := specs.(map[string]any)
	if !ok {
		l.fail(dir+"/data.json", 0, "quiet_hours must be an object of specs")
		return nil
	}
	out := make(map[string]QuietSpec, len(obj))
	for _, name := range sortedKeys(obj) {
		spec, err := ParseQuietSpec(obj[name])
		if err != nil {
			l.fail(dir+"/data.json", 0, "quiet_hours.%s: %v", name, err)
			continue
		}
		out[name] = spec
	}
	return out
}

// checkQuietNames fails the load when a quiet-hours spec of the global or a
// channel pack has the name of another pack's: the facts carry the specs of
// the global, destination and channel packs under one name each
// (time.quiet_until.<name>), whichever destination and channel meet.
func (l *loader) checkQuietNames() {
	owner := map[string]string{} // spec name → the first pack that has it
	for _, p := range l.set.Packs() {
		for _, name := range sortedKeys(p.quiet) {
			first, seen := owner[name]
			if !seen {
				owner[name] = p.Name
				continue
			}
			this, other := p.Name, first
			if p.Kind == KindCountry { // blame the global or channel pack
				this, other = other, this
			}
			if l.set.packs[this].Kind != KindCountry {
				l.fail(this+"/data.json", 0, "quiet_hours.%s: %s has a spec of that name too; a global or channel pack's spec needs a name of its own", name, other)
			}
		}
	}
}

// packageRef is the Rego package a pack must declare. Codes may be Rego
// keywords ("in" for India): the ref quotes them as needed when printed.
func packageRef(kind, code string) ast.Ref {
	ref := ast.Ref{ast.DefaultRootDocument, ast.StringTerm("msgfilter"), ast.StringTerm(kind)}
	if kind == KindGlobal {
		return ref
	}
	return append(ref, ast.StringTerm(code))
}

// reasonsRef is the ref of a pack's reasons rule.
func reasonsRef(kind, code string) ast.Ref {
	return packageRef(kind, code).Append(ast.StringTerm(reasonsRule))
}

// mount puts the document of the JSON file name into the data tree at the
// file's directory, as OPA's loader does (countries/ae/data.json becomes
// data.countries.ae), merging objects and failing on conflicting values, so
// that the engine, "opa test" and "opa eval -d" read the same data.
func (l *loader) mount(name string, doc any) {
	dirs := strings.Split(path.Dir(name), "/")
	node := l.data
	for _, d := range dirs[:len(dirs)-1] {
		child, ok := node[d].(map[string]any)
		if !ok {
			if _, taken := node[d]; taken {
				l.fail(name, 0, "merge error: conflicting values at data.%s", strings.Join(dirs, "."))
				return
			}
			child = map[string]any{}
			node[d] = child
		}
		node = child
	}
	last := dirs[len(dirs)-1]
	if obj, ok := doc.(map[string]any); ok {
		existing, ok := node[last].(map[string]any)
		if !ok && node[last] == nil {
			existing = map[string]any{}
			node[last] = existing
		}
		if existing != nil {
			if at := mergeData(existing, obj, "data."+strings.Join(dirs, ".")); at != "" {
				l.fail(name, 0, "merge error: conflicting values at %s", at)
			}
			return
		}
	}
	if _, taken := node[last]; taken {
		l.fail(name, 0, "merge error: conflicting values at data.%s", strings.Join(dirs, "."))
		return
	}
	node[last] = doc
}

// mergeData merges src into dst, objects recursively, and returns the path
// of the first conflicting value ("" when none), as OPA's loader refuses
// them. The objects of dst are the tree's own (src's are copied), so that a
// merge never changes a pack's Data.
func mergeData(dst, src map[string]any, at string) string {
	for _, k := range sortedKeys(src) {
		v := src[k]
		cur, ok := dst[k]
		if !ok {
			if obj, isObj := v.(map[string]any); isObj {
				cp := map[string]any{}
				mergeData(cp, obj, at+"."+k)
				v = cp
			}
			dst[k] = v
			continue
		}
		a, aok := cur.(map[string]any)
		b, bok := v.(map[string]any)
		if !aok || !bok {
			return at + "." + k
		}
		if c := mergeData(a, b, at+"."+k); c != "" {
			return c
		}
	}
	return ""
}

func (l *loader) parseErrors(file string, err error) {
	var errs ast.Errors
	if e, ok := err.(ast.Errors); ok {
		errs = e
	}
	if len(errs) == 0 {
		l.fail(file, 0, "%v", err)
		return
	}
	for _, e := range errs {
		row := 0
		if e.Location != nil {
			row = e.Location.Row
		}
		l.fail(file, row, "%s", e.Message)
	}
}

func compileError(errs ast.Errors) error {
	le := &LoadError{}
	for _, e := range errs {
		pe := &PolicyError{Msg: e.Message}
		if e.Location != nil {
			pe.File, pe.Row = e.Location.File, e.Location.Row
		}
		for _, name := range forbiddenBuiltins {
			if strings.Contains(e.Message, "undefined function "+name) {
				pe.Msg = fmt.Sprintf("built-in %s is not allowed in policies: network, runtime and non-deterministic built-ins are excluded", name)
			}
		}
		le.Errs = append(le.Errs, pe)
	}
	return le
}

// reasonsRule is the name of the partial set rule every deciding pack defines.
const reasonsRule = "reasons"

// prepare builds one query per (country pack or default, channel pack or
// default), on the packs' residual rules (partial.go).
func (l *loader) prepare(ctx context.Context, compiler *ast.Compiler, store storage.Store) error {
	has := func(kind, code string) bool {
		return len(compiler.GetRulesExact(reasonsRef(kind, code))) > 0
	}
	evalCompiler, residual, defs := residuals(ctx, compiler, store, l.set.modules)
	l.set.residual = residual
	part := func(kind, code string) string {
		ref := reasonsRef(kind, code).String()
		if r, ok := residual[ref]; ok {
			return r
		}
		return ref
	}
	analysis := newReadAnalysis(evalCompiler)
	reads := map[queryKey]*Reads{}
	countries := []string{""}
	channels := []string{""}
	for _, p := range l.set.packs {
		switch {
		case p.Kind == KindCountry && has(p.Kind, p.Code):
			countries = append(countries, p.Code)
		case p.Kind == KindChannel && has(p.Kind, p.Code):
			channels = append(channels, p.Code)
		}
	}
	// One query per definition of each pack's reasons as well (its parts,
	// split.go), or per pack when its definitions are not apart: a read
	// program per part keys each part's findings apart.
	packParts := map[string][]*Part{}
	nParts := 0
	packPart := func(name, ref string) ([]*Part, error) {
		if ps, ok := packParts[name]; ok {
			return ps, nil
		}
		groups := [][]string{{ref}}
		if d, ok := defs[ref]; ok {
			groups = groupDefinitions(evalCompiler, d)
		}
		var ps []*Part
		for i, g := range groups {
			refs := make([]ast.Ref, len(g))
			for j, d := range g {
				r, err := ast.ParseRef(d)
				if err != nil {
					return nil, fmt.Errorf("rules: query part %s: %w", d, err)
				}
				refs[j] = r
			}
			pq, err := l.prepareQuery(ctx, evalCompiler, store, strings.Join(g, " | "))
			if err != nil {
				return nil, fmt.Errorf("rules: preparing the query of pack %s: %w", name, err)
			}
			ps = append(ps, &Part{Name: fmt.Sprintf("%s#%d", name, i), query: pq, reads: analysis.query(nParts, refs)})
			nParts++
		}
		packParts[name] = ps
		return ps, nil
	}
	for _, cc := range countries {
		for _, ch := range channels {
			var parts []string
			var packs []*Part
			add := func(name, kind, code string) error {
				ref := part(kind, code)
				parts = append(parts, ref)
				ps, err := packPart(name, ref)
				packs = append(packs, ps...)
				return err
			}
			if has(KindGlobal, "") {
				if err := add(KindGlobal, KindGlobal, ""); err != nil {
					return err
				}
			}
			if cc != "" {
				if err := add(KindCountry+"/"+cc, KindCountry, cc); err != nil {
					return err
				}
			}
			if ch != "" {
				if err := add(KindChannel+"/"+ch, KindChannel, ch); err != nil {
					return err
				}
			}
			union := "set()"
			if len(parts) > 0 {
				union = strings.Join(parts, " | ")
			}
			refs := make([]ast.Ref, 0, len(parts))
			for _, p := range parts {
				ref, err := ast.ParseRef(p)
				if err != nil {
					return fmt.Errorf("rules: query part %s: %w", p, err)
				}
				refs = append(refs, ref)
			}
			reads[queryKey{cc, ch}] = analysis.query(len(reads), refs)
			pq, err := l.prepareQuery(ctx, evalCompiler, store, union)
			if err != nil {
				return fmt.Errorf("rules: preparing query for country %q channel %q: %w", cc, ch, err)
			}
			l.set.queries[queryKey{cc, ch}] = pq
			l.set.parts[queryKey{cc, ch}] = packs
		}
	}
	ok := analysis.finish(reads)
	if ok {
		l.set.reads = reads
	}
	for _, ps := range packParts {
		for _, p := range ps {
			if !ok {
				p.reads = nil // keyed by every fact, as the queries are
				continue
			}
			p.reads.Rules = analysis.rules
		}
	}
	return nil
}

// prepareQuery prepares "reasons := <reasons>".
func (l *loader) prepareQuery(ctx context.Context, c *ast.Compiler, store storage.Store, reasons string) (*rego.PreparedEvalQuery, error) {
	pq, err := rego.New(
		rego.Compiler(c),
		rego.Store(store),
		rego.Query("reasons := "+reasons),
		rego.StrictBuiltinErrors(true),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, err
	}
	return &pq, nil
}

// queryKey returns the key of the query for a destination and channel,
// falling back to the global and channel rules for a country without a
// pack.
func (s *Set) queryKey(country, channel string) queryKey {
	for _, k := range [...]queryKey{{country, channel}, {country, ""}, {"", channel}} {
		if _, ok := s.queries[k]; ok {
			return k
		}
	}
	return queryKey{} // prepare always makes the ("", "") query
}

// sortedKeys returns m's keys in order, for deterministic iteration.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
