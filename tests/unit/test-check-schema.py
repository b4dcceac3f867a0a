#!/usr/bin/env python3
# test-check-schema.py: `app-inbox --check --json` on every fixture under
# tests/data gives a document that docs/check.schema.json accepts (TAP).
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import subprocess
import sys

import jsonschema

srcdir = os.environ.get('G_TEST_SRCDIR', os.path.dirname(os.path.abspath(__file__)))
data = os.path.normpath(os.path.join(srcdir, '..', 'data'))
schema_path = os.path.normpath(os.path.join(srcdir, '..', '..', 'docs', 'check.schema.json'))
app = os.environ['APP_INBOX']

with open(schema_path) as f:
    schema = json.load(f)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

fixtures = sorted(os.path.join(root, name)
                  for root, _, names in os.walk(data)
                  for name in names if name.endswith('.json'))
env = dict(os.environ)
env.pop('DISPLAY', None)
env.pop('WAYLAND_DISPLAY', None)

print('1..%d' % (len(fixtures) + 2))
n = 0
failed = False
seen_platform_difference = False
for path in fixtures:
    n += 1
    name = os.path.relpath(path, data)
    run = subprocess.run([app, '--check', path, '--json', '--now', '1716400000'],
                         capture_output=True, text=True, env=env)
    problem = None
    if run.returncode == 2:
        # not readable, not JSON or no payload: said on stderr, nothing on stdout
        if run.stdout != '' or run.stderr == '':
            problem = 'status 2 with stdout %r, stderr %r' % (run.stdout[:200], run.stderr[:200])
    elif run.returncode not in (0, 1):
        problem = 'status %d: %s' % (run.returncode, run.stderr[:500])
    else:
        try:
            document = json.loads(run.stdout)
            errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
            if errors:
                problem = '; '.join('%s: %s' % ('/'.join(map(str, e.path)), e.message) for e in errors[:3])
            elif (run.returncode == 0) != all(m['valid'] for m in document['messages']):
                problem = 'status %d does not match the messages\' validity' % run.returncode
            for m in document['messages']:
                if m['platforms'] and m['platforms']['android']['buttons'] != m['platforms']['ios']['buttons']:
                    seen_platform_difference = True
        except ValueError as e:
            problem = 'not JSON: %s' % e
    if problem:
        failed = True
        print('not ok %d %s' % (n, name))
        print('# ' + problem.replace('\n', '\n# '))
    else:
        print('ok %d %s' % (n, name))

# the schema is not vacuous: a document without platforms is refused
n += 1
broken = {'version': 1, 'envelope': 'array',
          'messages': [{'index': 0, 'id': 'a', 'shape': 'wire', 'valid': True, 'template': 'simple',
                        'expired': False, 'expires': 'never', 'card_link': None, 'buttons': [],
                        'warnings': []}]}
if validator.is_valid(broken):
    failed = True
    print('not ok %d schema refuses a message without platforms' % n)
else:
    print('ok %d schema refuses a message without platforms' % n)

n += 1
if seen_platform_difference:
    print('ok %d some fixture shows Android and iOS buttons differ' % n)
else:
    failed = True
    print('not ok %d no fixture shows Android and iOS buttons differ' % n)

sys.exit(1 if failed else 0)
