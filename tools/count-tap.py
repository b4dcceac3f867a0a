#!/usr/bin/env python3
"""Counts the TAP subtests of a meson test log: 'BUILD: N passed, N failed'."""
import json
import re
import sys

passed = failed = 0
with open(sys.argv[1]) as log:
    for line in log:
        entry = json.loads(line)
        out = entry.get("stdout") or entry.get("stdo") or ""
        ok = len(re.findall(r"^ok \d+", out, re.M))
        not_ok = len(re.findall(r"^not ok \d+", out, re.M))
        if entry.get("result") not in ("OK", "EXPECTEDFAIL", "SKIP") and not_ok == 0:
            not_ok = 1  # a crash or timeout: the test program itself failed
        passed += ok
        failed += not_ok
name = sys.argv[2].lstrip("_") if len(sys.argv) > 2 else "tests"
print(f"{name}: {passed} passed, {failed} failed")
