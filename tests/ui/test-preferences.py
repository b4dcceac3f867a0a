# test-preferences.py: Preferences, opened from the main menu. A tag typed
# into Tabs and applied with Enter becomes a tab of the inbox that shows
# only its messages; Sign Out, once confirmed in its dialog, leaves the
# sign-in page and no message.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import re
import sys

from uitest import (UITestError, children, click, click_at, find, find_all, is_within,
                    pointer_into, press_key, run, shown, text_of, type_text, wait_for)


def open_preferences(s):
    window = s.window()
    # the main menu: the header bar's menu button, whose inner toggle has
    # the click
    menu = wait_for(lambda: [b for b in find_all(window, 'push button', 'Main Menu')
                             if b.queryAction().nActions > 0], what='the main menu')[0]
    click(menu)
    item = wait_for(lambda: find(s.app, 'menu item', re.compile(r'Preferences$'), visible_only=False),
                    what='Preferences in the menu')
    click(item)
    return wait_for(lambda: find(s.app, 'frame', 'Preferences', visible_only=False),
                    what='the Preferences window')


def test_add_tab(s):
    s.start_server()
    s.start_app(*s.signed_in_args())
    window = s.window()
    wait_for(lambda: find(s.app, 'label', 'Weekend offer'), what='the inbox')
    if find(window, 'page tab', 'Updates', visible_only=False):
        raise UITestError('an Updates tab before there is one')
    prefs = open_preferences(s)
    row = wait_for(lambda: find(prefs, 'text', 'Tags'), what='the Tags row')
    # into the row as a person gets there, with the pointer: AdwEntryRow
    # shows its apply button only for text typed while its entry has the
    # focus, and its entry is not in the tree (GtkText has no role)
    pointer_into(prefs)
    click_at(row)
    type_text(row, 'Updates')
    # libadwaita's apply button (unnamed, libadwaita's own) shows up
    wait_for(lambda: [b for b in find_all(row, 'push button') if shown(b)],
             what='the apply button')
    press_key('Return')
    if text_of(row) != 'Updates':
        raise UITestError('the row shows %r' % text_of(row))
    # the window has the tab, after All, and it shows that tag's messages
    tab = wait_for(lambda: find(window, 'page tab', 'Updates'), what='the Updates tab')
    names = [t.name for t in find_all(window, 'page tab') if is_within(t, tab.parent)]
    if names != ['All', 'Updates']:
        raise UITestError('the tabs are %r' % names)
    prefs_close = wait_for(lambda: find(prefs, 'push button', 'Close'), what='Close')
    click(prefs_close)
    wait_for(lambda: find(s.app, 'frame', 'Preferences', visible_only=False) is None,
             what='Preferences to close')
    click(tab)
    wait_for(lambda: find(window, 'label', 'Your order has shipped')
             and not find(window, 'label', 'Weekend offer'),
             what='the Updates tab to show only its message')


def test_sign_out(s):
    s.start_server()
    s.start_app(*s.signed_in_args())
    wait_for(lambda: find(s.app, 'label', 'Weekend offer'), what='the inbox')
    prefs = open_preferences(s)
    button = wait_for(lambda: find(prefs, 'push button', re.compile(r'Sign Out…')),
                      what='Sign Out…')
    click(button)
    # the confirmation: a window of its own, asking about the user
    dialog = wait_for(lambda: [w for w in children(s.app)
                               if w.name != 'Preferences' and not w.name.startswith('Inbox')
                               and find(w, 'label', 'Sign Out demo?')],
                      what='the confirmation')[0]
    confirm = wait_for(lambda: [b for b in find_all(dialog, 'push button', re.compile(r'Sign Out$'))
                                if 'Sign Out…' not in b.name], what='its Sign Out')[0]
    click(confirm)
    wait_for(lambda: find(s.app, 'filler', 'InboxSignInView'), what='the sign-in page')
    wait_for(lambda: find(s.app, 'label', 'Weekend offer') is None, what='the messages to go')


sys.exit(run([test_add_tab, test_sign_out]))
