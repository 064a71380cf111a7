#!/usr/bin/env python3
"""Rewrites calls of the retired built-in msgfilter.quiet_until to the facts
Go computes:

    python3 .ci/migrate/quiet_facts.py [POLICIES]      (default: policies)

    msgfilter.quiet_until(data[.msgfilter].countries.ae.quiet_hours.promotional, input.time)
        -> input.time.quiet_until.promotional

Only that shape is rewritten (a spec of the pack's own data.json and the
facts' time); any other call is printed on stderr for a hand rewrite. Tests
that expected the built-in to compute an until must now give it in
input.time.quiet_until (Go tests the computation). Idempotent.
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else "policies"
CALL = re.compile(
    r'msgfilter\.quiet_until\(\s*data\.(?:msgfilter\.)?(?:global|(?:countries|channels)(?:\.[a-z_]+|\["[a-z_]+"\]))'
    r'\.quiet_hours(?:\.([A-Za-z_][A-Za-z0-9_]*)|\["([^"]+)"\])\s*,\s*input\.time\s*\)')

for dirpath, _, files in os.walk(ROOT):
    for name in sorted(files):
        if not name.endswith(".rego"):
            continue
        p = os.path.join(dirpath, name)
        with open(p, encoding="utf-8") as f:
            src = f.read()

        def repl(m):
            if m.group(1):
                return "input.time.quiet_until." + m.group(1)
            return 'input.time.quiet_until["%s"]' % m.group(2)

        new = CALL.sub(repl, src)
        for line_no, line in enumerate(new.splitlines(), 1):
            if "msgfilter.quiet_until(" in line:
                print(f"{p}:{line_no}: rewrite by hand: {line.strip()}", file=sys.stderr)
        if new != src:
            with open(p, "w", encoding="utf-8") as f:
                f.write(new)
            print(p)
