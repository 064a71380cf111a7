#!/usr/bin/env python3
"""Rewrites Rego references to pack DATA from data.msgfilter.<pack> to the path
where OPA's loader mounts a pack's data.json (its directory):

    python3 .ci/migrate/data_refs.py [POLICIES]        (default: policies)

    data.msgfilter.countries.ae.quiet_hours    ->  data.countries.ae.quiet_hours
    data.msgfilter.countries["in"].x           ->  data.countries["in"].x
    data.msgfilter.countries[expr].link_risk   ->  data.countries[expr].link_risk
    data.msgfilter.global.model                ->  data.global.model
    data.msgfilter.channels.viber.max_length   ->  data.channels.viber.max_length
    data.msgfilter.tenants...                  ->  data.tenants...

A reference is DATA when the key after the pack is a top-level key of a
.json file of that pack (any country's for a computed country), or is not a
rule of the pack's package. Rule references (data.msgfilter.global.reasons,
imports of a package) stay. Idempotent; prints each file it changes and, on
stderr, references it could not classify.
"""
import json
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else "policies"
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
START = re.compile(r"\bdata\.msgfilter\.(global|countries|channels|tenants)\b")
RULE_HEAD = re.compile(r"^(?:default\s+)?([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*:?=\s*data\.)", re.M)
KEYWORDS = {"package", "import", "default"}


def pack_dirs():
    for kind in ("global",):
        if os.path.isdir(os.path.join(ROOT, kind)):
            yield ("global", None), os.path.join(ROOT, kind)
    for kind in ("countries", "channels"):
        d = os.path.join(ROOT, kind)
        if not os.path.isdir(d):
            continue
        for code in sorted(os.listdir(d)):
            if os.path.isdir(os.path.join(d, code)):
                yield (kind, code), os.path.join(d, code)


data_keys, rule_names = {}, {}
for pack, d in pack_dirs():
    keys, rules = set(), set()
    for name in os.listdir(d):
        p = os.path.join(d, name)
        if name.endswith(".json"):
            with open(p, encoding="utf-8") as f:
                doc = json.load(f)
            if isinstance(doc, dict):
                keys |= set(doc)
        elif name.endswith(".rego") and not name.endswith("_test.rego"):
            with open(p, encoding="utf-8") as f:
                rules |= {m for m in RULE_HEAD.findall(f.read()) if m not in KEYWORDS}
    data_keys[pack], rule_names[pack] = keys, rules


def segment(s, i):
    """Returns (name or None, end) of the ref segment at s[i:], or (None, i)."""
    if s.startswith(".", i):
        m = IDENT.match(s, i + 1)
        if m:
            return m.group(0), m.end()
    if s.startswith("[", i):
        depth, j = 0, i
        while j < len(s):
            if s[j] == "[":
                depth += 1
            elif s[j] == "]":
                depth -= 1
                if depth == 0:
                    inner = s[i + 1:j]
                    lit = re.fullmatch(r'"([^"]*)"', inner)
                    return (lit.group(1) if lit else ""), j + 1
            j += 1
    return None, i


def is_data(kind, code, key):
    if kind == "tenants":
        return True
    if key is None:
        return False  # the package itself: an import or a whole-package ref
    if kind == "global":
        packs = [("global", None)]
    elif code:  # a literal code
        packs = [(kind, code)]
    else:  # a computed code: any pack of the kind
        packs = [p for p in data_keys if p[0] == kind]
    if any(key in data_keys.get(p, ()) for p in packs):
        return True
    return not any(key in rule_names.get(p, ()) for p in packs)


def rewrite(src, path):
    out, pos = [], 0
    for m in START.finditer(src):
        kind, i = m.group(1), m.end()
        code = None
        if kind in ("countries", "channels"):
            code, i = segment(src, i)
            if code is None:
                continue
        key, _ = segment(src, i)
        line = src[src.rfind("\n", 0, m.start()) + 1:src.find("\n", m.start())]
        if line.lstrip().startswith("import "):
            continue
        if is_data(kind, code, key):
            out.append(src[pos:m.start()] + "data." + kind)
            pos = m.end()
        elif key is not None and key not in rule_names.get((kind, code or None), ()) and code != "":
            print(f"{path}: left {src[m.start():i]}.{key}: neither data nor a rule", file=sys.stderr)
    out.append(src[pos:])
    return "".join(out)


for dirpath, _, files in os.walk(ROOT):
    for name in sorted(files):
        if not name.endswith(".rego"):
            continue
        p = os.path.join(dirpath, name)
        with open(p, encoding="utf-8") as f:
            src = f.read()
        new = rewrite(src, p)
        if new != src:
            with open(p, "w", encoding="utf-8") as f:
                f.write(new)
            print(p)
