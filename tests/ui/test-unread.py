# test-unread.py: a message seen is read; Mark as Unread from its context
# menu (the Menu key on the card Tab reached) makes it unread on the server
# at the next sync (the app's next start), which the test reads back with
# the user's token.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import re
import sys

from uitest import simple, click, find, press_key, run, tab_to, wait_for

MESSAGE = simple('Mark me', 'Read, then unread again.')


def test_mark_unread_from_menu(s):
    s.start_server(demo=False)
    token = s.user_with(MESSAGE)

    def read_on_server():
        return [m['isRead'] for m in s.inbox(token)['inbox_notifs']]
    if read_on_server() != [False]:
        raise AssertionError('the message starts read: %r' % read_on_server())

    # the app sends what happened at its next sync: here, its next start
    args = s.signed_in_args('ui', token)
    s.start_app(*args)
    wait_for(lambda: find(s.app, 'panel', re.compile(r'Mark me\. Read\.')), what='the card read')
    s.stop_app()
    s.start_app(*args)
    wait_for(lambda: read_on_server() == [True], what='the server to see it read')

    tab_to(s, lambda n: n.getRoleName() == 'panel' and 'Mark me' in n.name, 'the card')
    press_key('Menu')
    item = wait_for(lambda: find(s.app, 'menu item', re.compile(r'Unread$'), visible_only=False),
                    what='Mark as Unread in the context menu')
    click(item)
    wait_for(lambda: find(s.app, 'panel', re.compile(r'Mark me\. Unread\.')), what='the card unread')
    s.stop_app()
    s.start_app(*args)
    wait_for(lambda: read_on_server() == [False], what='the server to see it unread')


sys.exit(run([test_mark_unread_from_menu]))
