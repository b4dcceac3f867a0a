#!/usr/bin/env python3
# test-doc-links.py: the repository stands on its own (TAP).
#
# 1. No tracked file outside docs/ points outside the repository: not at
#    the old contract (`shared/spec`, `../shared`, `spec/payload.md`,
#    `payload.md section N`), nor at a bare `sync-api.md`; the format and the
#    API are docs/format.md and docs/sync-api.md.
# 2. Every `docs/NAME` a tracked file names exists.
# 3. Every relative link of a docs/*.md file points at a file that exists,
#    and its `#anchor`, when it has one, at a heading of that file.
#
# The files are git's tracked files when the source is a git checkout, else
# every file of the source tree but build directories.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import subprocess
import sys

srcdir = os.environ.get('G_TEST_SRCDIR', os.path.dirname(os.path.abspath(__file__)))
root = os.path.normpath(os.path.join(srcdir, '..', '..'))
this_file = os.path.relpath(os.path.abspath(__file__), root)

# What points outside the repository, outside docs/.
OUTSIDE = [
    (re.compile(r'shared/spec'), 'the old shared/spec folder'),
    (re.compile(r'\.\./shared'), 'a folder beside the repository'),
    (re.compile(r'spec/(payload|sync-api)\.md'), 'the old spec folder'),
    (re.compile(r'(?<![\w/.-])payload\.md'), 'payload.md (now docs/format.md)'),
    (re.compile(r'(?<![\w/.-])sync-api\.md'), 'sync-api.md without docs/'),
]

# Files another part of issue 14 rewrites; each entry must still be needed
# (the test fails once the file is clean, so that the entry goes).
PENDING = {
}

DOCS_NAME = re.compile(r'(?<![\w.-])docs/([\w.-]+\.(?:md|json))')
MD_LINK = re.compile(r'(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)')
BUILD_DIRS = re.compile(r'^(_build.*|build|\.git|\.flatpak-builder|__pycache__|\.flatpak)$')


def tracked_files():
    try:
        out = subprocess.run(['git', '-C', root, 'ls-files', '-z'], check=True,
                             capture_output=True).stdout
        files = [f for f in out.decode().split('\0') if f]
        if files:
            # a file being merged is listed once per stage
            return sorted(set(f for f in files if os.path.isfile(os.path.join(root, f))))
    except (OSError, subprocess.CalledProcessError):
        pass
    files = []
    for dirpath, dirnames, names in os.walk(root):
        dirnames[:] = [d for d in dirnames if not BUILD_DIRS.match(d)]
        for name in names:
            files.append(os.path.relpath(os.path.join(dirpath, name), root))
    return sorted(files)


def read_text(path):
    try:
        with open(os.path.join(root, path), 'rb') as f:
            data = f.read()
    except OSError:
        return None
    if b'\0' in data:
        return None
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError:
        return None


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped,
    spaces to hyphens."""
    text = re.sub(r'[`*_]', '', heading.strip().lower())
    text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', text)
    text = re.sub(r'[^\w\- ]', '', text)
    return text.replace(' ', '-')


def anchors(text):
    seen = {}
    result = set()
    in_code = False
    for line in text.splitlines():
        if line.startswith('```'):
            in_code = not in_code
            continue
        m = None if in_code else re.match(r'^#{1,6}\s+(.*?)\s*#*\s*$', line)
        if m:
            base = slug(m.group(1))
            n = seen.get(base, 0)
            seen[base] = n + 1
            result.add(base if n == 0 else '%s-%d' % (base, n))
    return result


def line_of(text, offset):
    return text.count('\n', 0, offset) + 1


results = []


def check(ok, name, problems):
    results.append((ok, name, problems))


files = tracked_files()
texts = {f: read_text(f) for f in files}

# 1. nothing outside docs/ points outside the repository
for path in files:
    text = texts[path]
    if text is None or path.startswith('docs/') or path == this_file:
        continue
    problems = []
    for pattern, what in OUTSIDE:
        for m in pattern.finditer(text):
            problems.append('%s:%d: %s (%s)' % (path, line_of(text, m.start()), m.group(0), what))
    if path in PENDING:
        check(len(problems) > 0, 'pending: %s still points outside (%s); remove it from PENDING once clean'
              % (path, PENDING[path]), [] if problems else ['%s: no longer points outside the repository' % path])
    elif problems:
        check(False, 'outside the repository: %s' % path, problems)
check(True, 'the tracked files were read (%d)' % len(files), [])
missing_pending = [p for p in PENDING if p not in texts]
check(not missing_pending, 'every PENDING file exists', missing_pending)

# 2. every docs/NAME a file names exists
problems = []
for path in files:
    text = texts[path]
    if text is None:
        continue
    for m in DOCS_NAME.finditer(text):
        if not os.path.isfile(os.path.join(root, 'docs', m.group(1))):
            problems.append('%s:%d: docs/%s does not exist' % (path, line_of(text, m.start()), m.group(1)))
check(not problems, 'every docs/NAME named in the tree exists', problems)

# 3. the relative links of docs/*.md
docs = [f for f in files if f.startswith('docs/') and f.endswith('.md')]
check(len(docs) > 0, 'docs/ has Markdown files', [])
for path in docs:
    text = texts[path] or ''
    problems = []
    in_code = False
    offset = 0
    for line in text.splitlines(keepends=True):
        if line.startswith('```'):
            in_code = not in_code
        elif not in_code:
            for m in MD_LINK.finditer(line):
                target = m.group(1)
                if re.match(r'^[a-z][a-z0-9+.-]*:', target, re.I):
                    continue
                file_part, _, anchor = target.partition('#')
                where = '%s:%d: (%s)' % (path, line_of(text, offset + m.start()), target)
                linked = path if file_part == '' else os.path.normpath(
                    os.path.join(os.path.dirname(path), file_part))
                full = os.path.join(root, linked)
                if linked.startswith('..') or not os.path.exists(full):
                    problems.append(where + ' no such file in the repository')
                elif anchor and linked.endswith('.md') and anchor not in anchors(read_text(linked) or ''):
                    problems.append(where + ' no heading #%s there' % anchor)
        offset += len(line)
    check(not problems, 'the relative links of %s resolve' % path, problems)

print('1..%d' % len(results))
failed = 0
for i, (ok, name, problems) in enumerate(results, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    for p in problems:
        print('# ' + p)
    failed += not ok
sys.exit(1 if failed else 0)
