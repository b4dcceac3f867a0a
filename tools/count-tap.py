#!/usr/bin/env python3
"""Counts the TAP subtests in meson test logs and prints 'tests: N passed, N failed'.

A test program that failed without reporting a failed subtest (a crash, a
timeout) counts as one failure. A file named *.tap is plain TAP, such as the
one tools/run-fuzz --tap writes (one line per fuzz target run); one that
says it has more tests ("1..N") than it reports counts the missing ones as
failures.
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
        if path.endswith(".tap"):
            text = log.read()
            ok = len(re.findall(r"^ok \d+", text, re.M))
            not_ok = len(re.findall(r"^not ok \d+", text, re.M))
            plan = re.search(r"^1\.\.(\d+)", text, re.M)
            missing = int(plan.group(1)) - ok - not_ok if plan else 1
            passed += ok
            failed += not_ok + max(missing, 0)
            continue
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
