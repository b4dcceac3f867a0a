#!/usr/bin/env python3
"""Counts the TAP subtests in meson test logs and prints 'tests: N passed, N failed'.

A test program that failed without reporting a failed subtest (a crash, a
timeout) counts as one failure.
"""
import json
import re
import sys

passed = failed = 0
for path in sys.argv[1:]:
    try:
        log = open(path)
    except OSError:
        failed += 1  # the suite did not run at all
        continue
    with log:
        for line in log:
            entry = json.loads(line)
            out = entry.get("stdout") or entry.get("stdo") or ""
            ok = len(re.findall(r"^ok \d+", out, re.M))
            not_ok = len(re.findall(r"^not ok \d+", out, re.M))
            if entry.get("result") not in ("OK", "EXPECTEDFAIL") and not_ok == 0:
                not_ok = 1
            passed += ok
            failed += not_ok
print(f"tests: {passed} passed, {failed} failed")
