# test-select.py: the keys between cards (j, k, Down on the card Tab
# reached), Ctrl+A and Escape, Ctrl+U on a card, then Ctrl+click and
# Shift+click with the pointer, the selection header's count, Delete in the
# bar at the bottom with its toast; the server has the two deleted after the
# app's next sync. Keys and clicks go through the registry
# (XTest), Ctrl and Shift held down with their X keycodes.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import re
import sys

import pyatspi

from uitest import (simple, UITestError, click, extents, find, focused, press_key, run, tab_to,
                    wait_for)

TITLES = ['First', 'Second', 'Third']
MESSAGES = [simple(t, 'Message %s.' % t.lower()) for t in TITLES]

# X keycodes of Xvfb's default (evdev) keymap
CONTROL_L = 37
SHIFT_L = 50


def card(s, title, state=None):
    return find(s.app, 'panel', re.compile(r'%s\. %s' % (re.escape(title), state or r'(Read|Unread)')))


def holding(keycode, what):
    pyatspi.Registry.generateKeyboardEvent(keycode, None, pyatspi.KEY_PRESS)
    try:
        what()
    finally:
        pyatspi.Registry.generateKeyboardEvent(keycode, None, pyatspi.KEY_RELEASE)


def click_middle(node):
    x, y, w, h = extents(node)
    if w <= 0 or h <= 0:
        raise UITestError('%r is not on screen' % node.name)
    pyatspi.Registry.generateMouseEvent(x + w // 2, y + h // 2, pyatspi.MOUSE_B1C)


def focus_is(s, title):
    def check():
        n = focused(s.window())
        return n is not None and n.getRoleName() == 'panel' and (title + '.') in n.name
    return wait_for(check, what='the focus on %s' % title)


def test_keys_and_selection(s):
    s.start_server(demo=False)
    token = s.user_with(*MESSAGES)
    args = s.signed_in_args('ui', token)
    s.start_app(*args)
    for t in TITLES:
        wait_for(lambda: card(s, t, 'Read'), what='%s on screen and read' % t)

    # j, k and Down from card to card, in the order they are on screen
    order = sorted(TITLES, key=lambda t: extents(card(s, t))[1])
    tab_to(s, lambda n: n.getRoleName() == 'panel' and (order[0] + '.') in n.name, 'the top card')
    press_key('j')
    focus_is(s, order[1])
    press_key('k')
    focus_is(s, order[0])
    press_key('Down')
    focus_is(s, order[1])
    press_key('j')
    focus_is(s, order[2])
    if find(s.app, 'label', re.compile(r'Selected$')):
        raise UITestError('moving between cards selected one')

    # Ctrl+A: all three; Escape: none, the header bar is back
    holding(CONTROL_L, lambda: press_key('a'))
    wait_for(lambda: find(s.app, 'label', '3 Selected'), what='3 Selected')
    press_key('Escape')
    wait_for(lambda: find(s.app, 'label', '3 Selected') is None, what='selection mode to end')
    wait_for(lambda: find(s.app, 'push button', 'Select'), what='the Select button back')

    # Ctrl+U on the card with the focus: unread (and it stays so on screen:
    # the read tracker leaves the user's choice alone), Ctrl+U again: read
    holding(CONTROL_L, lambda: press_key('u'))
    wait_for(lambda: card(s, order[2], 'Unread'), what='Ctrl+U to mark it unread')
    holding(CONTROL_L, lambda: press_key('u'))
    wait_for(lambda: card(s, order[2], 'Read'), what='Ctrl+U again to mark it read')

    # Ctrl+click the bottom card, Shift+click the top one: three;
    # Ctrl+click the middle one: two
    holding(CONTROL_L, lambda: click_middle(card(s, order[2])))
    wait_for(lambda: find(s.app, 'label', '1 Selected'), what='1 Selected')
    holding(SHIFT_L, lambda: click_middle(card(s, order[0])))
    wait_for(lambda: find(s.app, 'label', '3 Selected'), what='3 Selected')
    holding(CONTROL_L, lambda: click_middle(card(s, order[1])))
    wait_for(lambda: find(s.app, 'label', '2 Selected'), what='2 Selected')

    # Delete in the bar: both go at once; written when the Undo toast goes,
    # and the server has them deleted after the app's next sync (its next
    # start). (Mark Read and Mark Unread of a selection are test-selection's:
    # the read tracker reads a card on screen again after 2 s.)
    click(wait_for(lambda: find(s.app, 'push button', 'Delete'), what='Delete'))
    wait_for(lambda: find(s.app, 'label', '2 messages deleted'), what='the toast')
    wait_for(lambda: card(s, order[0]) is None and card(s, order[2]) is None, what='the two cards to go')
    if not card(s, order[1]):
        raise UITestError('the middle card went too')
    wait_for(lambda: find(s.app, 'label', '2 messages deleted') is None, what='the toast to go')
    s.stop_app()
    s.start_app(*args)

    def on_server():
        return [m['msg']['content'][0]['title']['text'] for m in s.inbox(token)['inbox_notifs']]
    wait_for(lambda: on_server() == [order[1]], what='the server to keep only the middle one')


sys.exit(run([test_keys_and_selection]))
