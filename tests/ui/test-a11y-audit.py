#!/usr/bin/python3
# test-a11y-audit.py: the accessibility audit (suite 'ui'). Starts the real
# app (a --preview of the demo payload, of each screen of tests/data/screens
# and of no messages; the live sign-in, offline and error states with the
# real server; Preferences, Keyboard Shortcuts and About opened from the
# main menu with AT-SPI actions), walks its AT-SPI tree and fails on a
# control, a window, a focus stop or a spinner without a real name, an
# informative image without one, or two sibling controls of one name. The whole tree is audited, hidden stack
# pages too (the sign-in page, the error and empty states are always there).
#
# Usage (meson runs it, tests/ui/meson.build):
#   test-a11y-audit.py [--previews | --windows] [CASE...]
#
# SPDX-License-Identifier: GPL-3.0-or-later

import glob
import os
import re
import sys

import pyatspi

from uitest import UITestError, children, click, find, run, wait_for

SRCDIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Roles that are controls: each needs a name of its own.
CONTROL_ROLES = {
    pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_ENTRY,
    pyatspi.ROLE_PASSWORD_TEXT, pyatspi.ROLE_TEXT, pyatspi.ROLE_LINK, pyatspi.ROLE_SLIDER,
    pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_BOX, pyatspi.ROLE_RADIO_BUTTON,
    pyatspi.ROLE_CHECK_MENU_ITEM, pyatspi.ROLE_RADIO_MENU_ITEM,
    pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_COMBO_BOX,
}
# Roles that inform: they need a name unless made presentational.
IMAGE_ROLES = {pyatspi.ROLE_IMAGE, pyatspi.ROLE_ICON}
# A spinner says what is under way; GTK 4.8 gives it no role of its own (a
# filler), so it is known by the type name it has when it has no name.
SPINNER_TYPE = 'GtkSpinner'
# Windows are announced by their names.
WINDOW_ROLES = {pyatspi.ROLE_FRAME, pyatspi.ROLE_DIALOG, pyatspi.ROLE_WINDOW}
# A container the focus stops on (a card, a carousel) is announced by its
# name, like a control.
FOCUS_STOP_ROLES = {pyatspi.ROLE_PANEL, pyatspi.ROLE_GROUPING}



def walk(node, path=()):
    """Every node under node, with its ancestors."""
    yield node, path
    for child in children(node):
        if child is not None:
            yield from walk(child, path + (node,))


def describe(node):
    try:
        return '%s "%s"' % (node.getRoleName(), node.name)
    except Exception:
        return '(gone)'


def find_node(root, predicate):
    for node, _ in walk(root):
        try:
            if predicate(node):
                return node
        except Exception:
            pass
    return None


# GTK 4.8 names a widget without a name by its type: "GtkButton".
CLASS_NAME = re.compile(r'^(Gtk|Adw|Inbox)[A-Z][A-Za-z]*$')
# a label's mnemonic leaking into the name: "_Retry Retry"
MNEMONIC = re.compile(r'(^|\s)_\w')

# GTK's own media players (GtkMediaControls: play, volume, seek; GtkVideo
# holds one) are left as GTK 4.8 makes them: it names none of their
# controls. Their subtrees are not audited; everything else is.
GTK_PLAYERS = {'GtkMediaControls', 'GtkVideo'}


# What GTK 4.8 and libadwaita 1.2 build themselves and leave without a name,
# in the windows they make for us; the app cannot reach these widgets. Each
# is matched exactly (the problem and the node's nearest ancestors): any
# other problem in these windows still fails.
UPSTREAM = {
    # AdwPreferencesWindow: its search entry, and the view switcher's
    # page icons (AdwIndicatorBin), named by the page titles beside them
    'preferences': {
        'only its type as a name: panel "" > panel "GtkStackPage" > panel "" > entry "GtkSearchEntry"',
        'image with only its type as a name: panel "GtkStackPage" > panel "" > filler "AdwIndicatorBin"'
        ' > image "GtkImage"',
    },
    # GtkShortcutsWindow: its search entry and search button, the section
    # menu button, the section's empty-search image
    'keyboard-shortcuts': {
        'only its type as a name: form "" > panel "" > panel "" > entry "GtkSearchEntry"',
        'image with only its type as a name: panel "" > panel "GtkStackPage" > panel "" > image "GtkImage"',
        'only its type as a name: panel "" > panel "" > panel "" > push button "GtkImage"',
        'only its type as a name: panel "" > panel "" > panel "GtkStackPage" > push button "GtkMenuButton"',
        'only its type as a name: panel "" > panel "GtkStackPage" > push button "GtkMenuButton"'
        ' > push button "GtkMenuButton"',
    },
    # AdwAboutWindow: its subpages' back buttons, the debugging page's
    # text view and its Copy Text and Save as… buttons (mnemonic in the
    # name), the rows' chevrons and the app icon
    'about': {
        'only its type as a name: panel "" > panel "" > panel "" > push button "GtkImage"',
        'only its type as a name: panel "" > panel "" > panel "" > push button "GtkButton"',
        'only its type as a name: panel "" > scroll pane "" > filler "AdwClampScrollable" > text "GtkTextView"',
        'a mnemonic in its name: panel "" > panel "" > panel "" > push button "_Copy Text Copy Text"',
        'a mnemonic in its name: panel "" > panel "" > panel "" > push button "_Save as… Save as…"',
        'image with only its type as a name: panel "" > panel "" > panel "" > image "GtkImage"',
        'image with only its type as a name: list item "Debugging Information" > panel "" > panel ""'
        ' > image "GtkImage"',
        'image with only its type as a name: list item "Details" > panel "" > panel "" > image "GtkImage"',
        'image with only its type as a name: list item "Credits" > panel "" > panel "" > image "GtkImage"',
        'image with only its type as a name: list item "Legal" > panel "" > panel "" > image "GtkImage"',
    },
}


def name_problem(name):
    if not name:
        return 'no name'
    if CLASS_NAME.match(name):
        return 'only its type as a name'
    if MNEMONIC.search(name):
        return 'a mnemonic in its name'
    half = name[:len(name) // 2]
    if len(name) % 2 == 1 and name == half + ' ' + half:
        return 'its name twice'
    return None


def audit(root):
    """Every problem under root, as lines."""
    problems = []
    for node, path in walk(root):
        try:
            role, name = node.getRole(), (node.name or '').strip()
            if any(a.name in GTK_PLAYERS for a in path + (node,)):
                continue
            where = ' > '.join(describe(a) for a in path[-3:] + (node,))
            if role in CONTROL_ROLES:
                problem = name_problem(name)
                if problem:
                    problems.append('%s: %s' % (problem, where))
            elif role in IMAGE_ROLES:
                # an icon inside a named control is part of that control
                # (the Play symbol in the Play button, an entry's edit
                # symbol): the control's name says what it is
                inside = any(a.getRole() in CONTROL_ROLES and not name_problem((a.name or '').strip())
                             for a in path)
                problem = name_problem(name)
                if problem and not inside:
                    problems.append('image with %s: %s' % (problem, where))
            elif name == SPINNER_TYPE:
                problems.append('a spinner without a name: %s' % where)
            elif role in WINDOW_ROLES:
                problem = name_problem(name)
                if problem:
                    problems.append('window with %s: %s' % (problem, where))
            elif role in FOCUS_STOP_ROLES and node.getState().contains(pyatspi.STATE_FOCUSABLE):
                problem = name_problem(name)
                if problem:
                    problems.append('focus stop with %s: %s' % (problem, where))
            # sibling controls with one name: which is which?
            seen = set()
            for child in children(node):
                if child is None or child.getRole() not in CONTROL_ROLES:
                    continue
                key = (child.getRole(), (child.name or '').strip())
                if key[1] and key in seen:
                    problems.append('two sibling controls named "%s" under %s' % (key[1], where))
                seen.add(key)
        except Exception as e:  # a node went away: the tree was not settled
            problems.append('%s while reading %s' % (type(e).__name__, describe(node)))
    return problems


def settled(win, state={}):
    """True once the tree's size has not changed for a few polls."""
    count = sum(1 for _ in walk(win))
    last, same = state.get(id(win), (-1, 0))
    same = same + 1 if count == last else 0
    state[id(win)] = (count, same)
    return same >= 5


def check(case, problems):
    """Fails with the problems that are not GTK's or libadwaita's own."""
    upstream = sorted({p for p in problems if p in UPSTREAM.get(case, ())})
    for p in upstream:
        print('# upstream, left as GTK or libadwaita makes it: ' + p)
    ours = [p for p in problems if p not in upstream]
    if ours:
        raise UITestError('%d accessibility problems:\n' % len(ours) + '\n'.join(ours))


def main_window(s):
    return wait_for(lambda: next((w for w in children(s.app) if w.getRole() == pyatspi.ROLE_FRAME), None),
                    what='the window')


def preview_case(name, path):
    def test(s):
        s.start_app('--preview', path)
        win = main_window(s)
        # the view is built: its empty state is always in the tree
        wait_for(lambda: find_node(win, lambda n: n.getRole() == pyatspi.ROLE_LABEL and n.name == 'No Messages'),
                 what='the inbox view')
        wait_for(lambda: settled(win), what='a settled tree')
        check(name, audit(win))
    test.__name__ = name
    return test


def live_case(name, reach, shows):
    """The real app in one of its states: reach(s) starts it there (with
    the real server, or without one), shows is the label that state shows."""
    def test(s):
        reach(s)
        win = main_window(s)
        wait_for(lambda: find(win, 'label', shows), what='the label ' + str(shows))
        wait_for(lambda: settled(win), what='a settled tree')
        check(name, audit(win))
    test.__name__ = name
    return test


def reach_sign_in(s):
    """No account yet: the sign-in page."""
    s.start_app('--no-keyring')


def reach_offline(s):
    """Signed in and synced, then the server is gone: the offline bar over
    the saved messages."""
    s.start_server()
    args = s.signed_in_args()
    s.start_app(*args)
    wait_for(lambda: find(s.app, 'label', 'Weekend offer'), what='the synced inbox')
    s.stop_app()
    s.stop_server()
    s.start_app(*args)


def reach_error(s):
    """The cache cannot be opened (a folder where its file goes): the error
    page with Try Again."""
    s.start_server()
    os.makedirs(os.path.join(s.dir, 'data', 'app-inbox', 'inbox.sqlite'))
    s.start_app(*s.signed_in_args())


def menu_case(name, item_label):
    """Opens the main menu with AT-SPI, audits the menu, activates
    item_label and audits the window it opens."""
    def test(s):
        s.start_app('--preview', os.path.join(SRCDIR, 'data', 'demo', 'inbox.json'))
        win = main_window(s)
        wait_for(lambda: settled(win), what='a settled tree')
        # GTK's menu button is a button holding a toggle button: the inner
        # one, with the click action, is what a click reaches
        button = wait_for(lambda: find_node(
            win, lambda n: n.getRole() in (pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON)
            and n.name == 'Main Menu' and n.queryAction().nActions > 0),
            what='the main menu button')
        click(button)
        item = wait_for(lambda: find_node(
            win, lambda n: n.getRole() == pyatspi.ROLE_MENU_ITEM and n.name.replace('_', '') == item_label),
            what='the menu item ' + item_label)
        problems = ['menu: ' + p for p in audit(item.parent)]
        # a new window comes after the app's others
        before = len(children(s.app))
        click(item)
        other = wait_for(lambda: len(children(s.app)) > before and children(s.app)[before],
                         what='the window of ' + item_label)
        wait_for(lambda: settled(other), what='a settled tree')
        print('# audited the window "%s": %d nodes' % (other.name, sum(1 for _ in walk(other))))
        check(name, problems + audit(other))
    test.__name__ = name
    return test


def cases():
    files = [('demo', os.path.join(SRCDIR, 'data', 'demo', 'inbox.json'))]
    files += [(os.path.basename(f)[:-len('.json')], f)
              for f in sorted(glob.glob(os.path.join(SRCDIR, 'tests', 'data', 'screens', '*.json')))]
    empty = os.path.join(os.environ.get('TMPDIR', '/tmp'), 'a11y-audit-%d-empty.json' % os.getpid())
    with open(empty, 'w') as f:
        f.write('{"inbox_notifs": []}')
    files.append(('no-messages', empty))
    return ([preview_case('preview-' + name, path) for name, path in files]
            + [live_case('live-sign-in', reach_sign_in, 'Sign In'),
               live_case('live-offline', reach_offline, re.compile(r'^Offline')),
               live_case('live-error', reach_error, 'Could Not Load Messages'),
               menu_case('preferences', 'Preferences'),
               menu_case('keyboard-shortcuts', 'Keyboard Shortcuts'),
               menu_case('about', 'About App Inbox')])


if __name__ == '__main__':
    # meson runs it twice, each under its own time limit: --previews (each
    # template and no messages) and --windows (the live states and the
    # windows of the main menu)
    chosen = cases()
    if '--previews' in sys.argv:
        chosen = [c for c in chosen if c.__name__.startswith('preview-')]
    elif '--windows' in sys.argv:
        chosen = [c for c in chosen if not c.__name__.startswith('preview-')]
    sys.exit(run(chosen))
