#!/usr/bin/env python3
# check-api-docs.py: the API reference of libappinbox-1 (TAP).
#
# 1. `gi-docgen check` finds nothing to report: every public class,
#    function, parameter, return value, property, signal, enum value and
#    constant of the GIR is documented.
# 2. The GIR holds the public classes of the library and no other: an
#    internal class in it means a private header was scanned.
# 3. The index of the built reference lists InboxClient, InboxView,
#    InboxStore, InboxMessage, every enumeration and error domain, and the
#    pages of docs/reference/.
# 4. Each C program in a page of docs/reference/ (a ```c block with a
#    main()) compiles warning-free against the library of this build.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

CORE = 'http://www.gtk.org/introspection/core/1.0'
GLIB = 'http://www.gtk.org/introspection/glib/1.0'

# The public classes of libappinbox-1 (issue 14; InboxNotifier, issue 11): everything else in
# src/model and src/widgets is internal.
PUBLIC_CLASSES = {
    'Client', 'View', 'Store', 'Message', 'Content', 'Link', 'MediaCache', 'Notifier',
}
# What the index must list above all (the "done when").
INDEX_CLASSES = ['Client', 'View', 'Store', 'Message']
PAGES = ['embedding', 'state-machine', 'styling']

parser = argparse.ArgumentParser()
parser.add_argument('--gi-docgen', required=True)
parser.add_argument('--config', required=True)
parser.add_argument('--include-dir', action='append', default=[])
parser.add_argument('--reference', required=True, help='the folder of the built reference')
parser.add_argument('--pages', required=True, help='the folder of the pages (docs/reference)')
parser.add_argument('--pkg-config-path', required=True, help='where appinbox-1-uninstalled.pc is')
parser.add_argument('--gir', required=True)
parser.add_argument('--cc', nargs='+', required=True, help='the C compiler, as meson runs it')
args = parser.parse_args()

results = []


def check(ok, name, diagnostics=()):
    results.append((ok, name, list(diagnostics)))


# 1. gi-docgen check
command = [args.gi_docgen, 'check', '--config', args.config]
command += ['--add-include-path=' + d for d in args.include_dir]
command.append(args.gir)
run = subprocess.run(command, capture_output=True, text=True)
ansi = re.compile(r'\x1b\[[0-9;]*m')
reports = [ansi.sub('', line).strip()
           for line in (run.stdout + run.stderr).splitlines()
           if not ansi.sub('', line).startswith('INFO')]
reports = [r for r in reports if r]
# the exit status decides; a report (WARNING, ERROR) fails it too, other
# output (a Python deprecation notice) is only shown
check(run.returncode == 0 and not any(re.search(r'WARNING|ERROR', r) for r in reports),
      'every public symbol of %s is documented (gi-docgen check)' % os.path.basename(args.gir),
      reports + ([] if run.returncode == 0 else ['gi-docgen check exited with %d' % run.returncode]))

# 2. the classes of the GIR
tree = ET.parse(args.gir)
namespace = tree.getroot().find('{%s}namespace' % CORE)
classes = {c.get('name') for c in namespace.findall('{%s}class' % CORE)}
enums = [e for e in namespace.findall('{%s}enumeration' % CORE)]
bitfields = [e for e in namespace.findall('{%s}bitfield' % CORE)]
check(classes == PUBLIC_CLASSES,
      'the GIR holds the public classes and no other',
      ['not public, yet in the GIR: Inbox%s' % c for c in sorted(classes - PUBLIC_CLASSES)] +
      ['public, not in the GIR: Inbox%s' % c for c in sorted(PUBLIC_CLASSES - classes)])

# 3. the index of the reference
index_path = os.path.join(args.reference, 'index.html')
try:
    with open(index_path, encoding='utf-8') as f:
        index = f.read()
except OSError as e:
    index = None
    check(False, 'the reference has an index', [str(e)])

if index is not None:
    check(True, 'the reference has an index')
    links = set(re.findall(r'href="([^"#]+)"', index))

    def listed(page):
        return page in links and os.path.isfile(os.path.join(args.reference, page))

    missing = ['Inbox%s (class.%s.html)' % (c, c) for c in INDEX_CLASSES
               if not listed('class.%s.html' % c)]
    check(not missing, 'the index lists %s' % ', '.join('Inbox' + c for c in INDEX_CLASSES), missing)

    missing = []
    for e in enums + bitfields:
        kind = 'error' if e.get('{%s}error-domain' % GLIB) else (
            'flags' if e in bitfields else 'enum')
        page = '%s.%s.html' % (kind, e.get('name'))
        if not listed(page):
            missing.append('Inbox%s (%s)' % (e.get('name'), page))
    check(len(enums) > 0 and not missing,
          'the index lists the %d enumerations and error domains' % len(enums + bitfields),
          missing if enums else ['the GIR has no enumeration'])

    missing = [p for p in PAGES if not listed('%s.html' % p)]
    check(not missing, 'the index links the pages of docs/reference/ (%s)' % ', '.join(PAGES), missing)

# 4. the C programs of the pages
env = dict(os.environ, PKG_CONFIG_PATH=args.pkg_config_path)
flags = subprocess.run(['pkg-config', '--cflags', 'appinbox-1'], env=env,
                       capture_output=True, text=True)
programs = 0
for page in sorted(glob.glob(os.path.join(args.pages, '*.md'))):
    with open(page, encoding='utf-8') as f:
        blocks = re.findall(r'^```c\n(.*?)^```', f.read(), re.M | re.S)
    for n, block in enumerate(blocks, 1):
        if not re.search(r'^main \(', block, re.M):
            continue
        programs += 1
        name = '%s, C program %d' % (os.path.basename(page), n)
        if flags.returncode != 0:
            check(False, '%s compiles' % name, flags.stderr.splitlines())
            continue
        with tempfile.TemporaryDirectory() as tmp:
            source = os.path.join(tmp, 'example.c')
            with open(source, 'w', encoding='utf-8') as f:
                f.write(block)
            run = subprocess.run(args.cc + ['-c', '-o', os.path.join(tmp, 'example.o'),
                                            '-Wall', '-Wextra', '-Wno-unused-parameter', '-Werror']
                                 + flags.stdout.split() + [source],
                                 capture_output=True, text=True)
        check(run.returncode == 0, '%s compiles against appinbox-1' % name,
              (run.stdout + run.stderr).splitlines())
check(programs > 0, 'the pages show a C program', [])

print('1..%d' % len(results))
failed = 0
for i, (ok, name, diagnostics) in enumerate(results, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    for d in diagnostics:
        print('# ' + d)
    failed += not ok
sys.exit(1 if failed else 0)
