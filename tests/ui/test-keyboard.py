# test-keyboard.py: the keyboard-only pass. With the pointer in the window
# and nothing but Tab, the focus goes round the whole window and comes back
# to where it started: every control on screen is reached, none keeps the
# focus (a trap), and the order is the one kept in tests/ui/focus-order/
# (NAME.txt, one focus stop a line). UPDATE_REFERENCES=1 writes those files
# anew; read the difference before committing it. And the sign-in page
# filled in and sent with the keyboard alone.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import sys

import pyatspi

from uitest import (UITestError, click_at, find, find_all, focused, is_sensitive, name_of,
                    pointer_into, press_key, role_name, run, shown, states, text_of, type_text,
                    wait_for)

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


def test_sign_in_by_keys(s):
    """Signing in with the keyboard alone: the server's address typed in
    (EditableText: ':' and '/' are shifted keys), then the keys: Return to
    the User field, the user, Tab to the Token field, the token, Return to
    sign in. (The view's activity watch on the window once swallowed keys
    at random in the capture phase: this page could not be typed into.)"""
    s.start_server()
    s.start_app('--no-keyring')
    window = s.window()
    fields = {name: wait_for(lambda: find(window, role, name), what='the %s field' % name)
              for role, name in (('text', 'Server'), ('text', 'User'), ('text', 'Token'))}
    type_text(fields['Server'], s.url)
    pointer_into(window)
    click_at(fields['Server'])
    press_key('Return')
    for key in 'demo':
        press_key(key)
    wait_for(lambda: text_of(fields['User']) == 'demo', what='"demo" typed into User')
    press_key('Tab')
    for key in s.demo_token:
        press_key(key)
    # a password field reads as dots: its length tells the keys arrived
    wait_for(lambda: len(text_of(fields['Token'])) == len(s.demo_token), what='the token typed into Token')
    if text_of(fields['Server']) != s.url:
        raise UITestError('the Server field reads %r' % text_of(fields['Server']))
    press_key('Return')
    wait_for(lambda: find(window, 'label', 'Weekend offer'), what='the inbox after Return')


sys.exit(run([test_inbox, test_sign_in_by_keys]))
