#!/usr/bin/env python3
"""Converts term lists from {"lang": L, "terms": [...]} JSON to JSON Lines.

    python3 .ci/migrate/terms_jsonl.py [ROOT...]      (default: policies)

Every ROOT/**/terms/<lang>.json becomes terms/<lang>.jsonl, one term object per
line with its keys in their original order; the list's language is the file's
name from then on, so a "lang" that disagrees with it stops the conversion.
OPA does not load .jsonl, so the lists leave OPA's data tree. Idempotent: a
tree with no terms/*.json left is unchanged; where both <lang>.json and
<lang>.jsonl exist (a merge), the .json wins. A plain FILE.json argument is
converted too (test fixtures), its lang then taken from the file's name.
"""
import json
import os
import sys


def convert(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    lang = os.path.splitext(os.path.basename(path))[0]
    if not isinstance(doc, dict) or set(doc) - {"lang", "terms"}:
        sys.exit(f"{path}: want an object with lang and terms only")
    if doc.get("lang", lang) != lang:
        sys.exit(f"{path}: lang {doc['lang']!r} is not the file's name {lang!r}")
    out = os.path.splitext(path)[0] + ".jsonl"
    if os.path.exists(out):
        # After a merge, the .json is the list someone still edited.
        print(f"{out} exists: replaced by {path}")
    with open(out, "w", encoding="utf-8") as f:
        for term in doc["terms"]:
            f.write(json.dumps(term, ensure_ascii=False, separators=(", ", ": ")) + "\n")
    os.remove(path)
    print(f"{path} -> {out} ({len(doc['terms'])} terms)")


def main(roots):
    for root in roots or ["policies"]:
        if root.endswith(".json"):
            convert(root)
            continue
        for dirpath, _, files in os.walk(root):
            if os.path.basename(dirpath) != "terms":
                continue
            for name in sorted(files):
                if name.endswith(".json"):
                    convert(os.path.join(dirpath, name))


main(sys.argv[1:])
