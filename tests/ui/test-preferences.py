# test-preferences.py: Preferences, opened from the main menu: Sign Out,
# once confirmed in its dialog, leaves the sign-in page and no message.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import re
import sys

from uitest import children, click, find, find_all, run, wait_for


def open_preferences(s):
    window = s.window()
    # the main menu: the header bar's menu button (GTK 4.8 names it after its
    # class; the a11y work names it), whose inner toggle has the click
    menu = wait_for(lambda: [b for b in find_all(window, 'push button', re.compile(r'GtkMenuButton|Main Menu'))
                             if b.queryAction().nActions > 0], what='the main menu')[0]
    click(menu)
    item = wait_for(lambda: find(s.app, 'menu item', re.compile(r'Preferences$'), visible_only=False),
                    what='Preferences in the menu')
    click(item)
    return wait_for(lambda: find(s.app, 'frame', 'Preferences', visible_only=False),
                    what='the Preferences window')


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


sys.exit(run([test_sign_out]))
