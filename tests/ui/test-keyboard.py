# test-keyboard.py: the keyboard-only pass. With the pointer in the window
# and nothing but Tab, the focus goes round the whole window and comes back
# to where it started: every control on screen is reached, none keeps the
# focus (a trap), and the order is the one kept in tests/ui/focus-order/
# (NAME.txt, one focus stop a line). UPDATE_REFERENCES=1 writes those files
# anew; read the difference before committing it.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import sys

import pyatspi

from uitest import (UITestError, find, find_all, focused, is_sensitive, name_of,
                    pointer_into, press_key, role_name, run, shown, states, wait_for)

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_STOPS = 80

# What changes while the test looks (a card's read state and its time) is
# not part of where the focus goes.
CARD_STATE = re.compile(r'\. (Read|Unread)\. [^.]*$')

CONTROL_ROLES = {'push button', 'toggle button', 'text', 'entry', 'password text',
                 'link', 'slider', 'check box', 'radio button', 'spin button', 'combo box'}
# The title bar's window buttons are GTK's: not in the Tab chain of any GTK 4
# window (Super and Alt+F4 do their work from the keyboard).
WINDOW_BUTTONS = {'Minimize', 'Maximize', 'Restore', 'Close'}


def stop_name(node):
    return '%s: %s' % (role_name(node), CARD_STATE.sub('', name_of(node)))


def tab_round(s, window):
    """Presses Tab until the focus is back where it started. Returns the
    focus stops on the way, the first one included, as (node, name): the
    name read when the focus was there (a card is built anew when it is
    read, and its old nodes go)."""
    pointer_into(window)
    start = wait_for(lambda: focused(window), what='a focused control')
    stops = [(start, stop_name(start))]
    for _ in range(MAX_STOPS):
        before = stops[-1][0]
        press_key('Tab')
        try:
            now = wait_for(lambda: (lambda f: f if f is not None and f != before else None)(focused(window)),
                           timeout=5, what='the focus to move')
        except UITestError:
            raise UITestError('a trap: Tab leaves the focus on %s (after %s)' % (
                stops[-1][1], ', '.join(n for _, n in stops[:-1]) or 'nothing'))
        if now == start:
            return stops
        name = stop_name(now)
        if any(now == n for n, _ in stops):
            raise UITestError('Tab goes round without coming back to %s: %s' % (
                stops[0][1], ', '.join([n for _, n in stops] + [name])))
        stops.append((now, name))
    raise UITestError('Tab never came back to %s in %d stops' % (stops[0][1], MAX_STOPS))


def check_round(name, window, stops):
    # every control that is on screen and can be used was a stop
    reached = {n for _, n in stops}
    missed = [n for n in find_all(window)
              if role_name(n) in CONTROL_ROLES and is_sensitive(n)
              and states(n).contains(pyatspi.STATE_FOCUSABLE)
              and name_of(n) not in WINDOW_BUTTONS and stop_name(n) not in reached]
    if missed:
        raise UITestError('never reached with Tab: ' + ', '.join(stop_name(n) for n in missed))
    order = [n for _, n in stops]
    path = os.path.join(HERE, 'focus-order', name + '.txt')
    if os.environ.get('UPDATE_REFERENCES'):
        with open(path, 'w') as f:
            f.write('\n'.join(order) + '\n')
        print('# wrote %s' % path)
        return
    with open(path) as f:
        expected = f.read().splitlines()
    if order != expected:
        raise UITestError('the focus order differs from %s:\n  got:      %s\n  expected: %s' % (
            os.path.relpath(path, HERE), '\n            '.join(order), '\n            '.join(expected)))
    print('# %d focus stops, as expected' % len(order))


def test_inbox(s):
    """The demo inbox, signed in: the main menu, then each card and its
    buttons, a carousel's slides and its Next."""
    s.start_server()
    s.start_app(*s.signed_in_args())
    window = s.window()
    wait_for(lambda: find(window, 'label', 'Weekend offer') and find(window, 'push button', 'Remind me'),
             what='the inbox')
    check_round('inbox', window, tab_round(s, window))


sys.exit(run([test_inbox]))
