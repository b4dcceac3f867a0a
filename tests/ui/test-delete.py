# test-delete.py: deleting a message with the Delete key, then Undo from the
# toast; the server keeps the message. Keys go through the accessibility
# registry (XTest), to the card Tab brought the focus to.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import re
import sys

from uitest import simple, UITestError, click, find, press_key, run, tab_to, wait_for

MESSAGE = simple('Delete me', 'Then bring me back.')


def test_delete_key_then_undo(s):
    s.start_server(demo=False)
    token = s.user_with(MESSAGE)
    s.start_app(*s.signed_in_args('ui', token))
    wait_for(lambda: find(s.app, 'label', 'Delete me'), what='the message')

    tab_to(s, lambda n: n.getRoleName() == 'panel' and 'Delete me' in n.name, 'the message')
    press_key('Delete')
    wait_for(lambda: find(s.app, 'label', 'Delete me') is None, what='the message to go')
    wait_for(lambda: find(s.app, 'label', 'Message deleted'), what='the toast')
    undo = wait_for(lambda: find(s.app, 'push button', re.compile(r'Undo$')), what='Undo')
    click(undo)
    wait_for(lambda: find(s.app, 'label', 'Delete me'), what='the message back')
    # and the server still has it
    ids = [m['msg']['content'][0]['title']['text'] for m in s.inbox(token)['inbox_notifs']]
    if ids != ['Delete me']:
        raise UITestError('the server has %r' % ids)


sys.exit(run([test_delete_key_then_undo]))
