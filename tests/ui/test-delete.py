# test-delete.py: deleting a message with the Delete key, then Undo from the
# toast; the server keeps the message. Keys go through the accessibility
# registry (XTest), to the card Tab brought the focus to.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import re
import sys

import pyatspi

from uitest import simple, UITestError, click, extents, find, press_key, run, tab_to, wait_for

MESSAGE = simple('Delete me', 'Then bring me back.')


def test_delete_key_then_undo(s):
    s.start_server(demo=False)
    token = s.user_with(MESSAGE)
    s.start_app(*s.signed_in_args('ui', token))
    wait_for(lambda: find(s.app, 'label', 'Delete me'), what='the message')

    window = s.window()
    tab_to(s, lambda n: n.getRoleName() == 'panel' and 'Delete me' in n.name, 'the message')
    press_key('Delete')
    # the hand goes to where the toast comes up, at the bottom of the window:
    # a toast under the pointer stays until the pointer leaves it
    # (libadwaita), however slowly this machine reads the tree
    _, _, w, h = extents(window)
    wiggle = [0]

    def toast_under_pointer():
        wiggle[0] ^= 1
        pyatspi.Registry.generateMouseEvent(w // 2 + wiggle[0], h - 40, pyatspi.MOUSE_ABS)
        return find(s.app, 'label', 'Message deleted')
    wait_for(toast_under_pointer, what='the toast')
    toast_under_pointer()  # a move over the toast now that it is there
    wait_for(lambda: find(s.app, 'label', 'Delete me') is None, what='the message to go')
    undo = wait_for(lambda: find(s.app, 'push button', re.compile(r'Undo$')), what='Undo')
    click(undo)
    wait_for(lambda: find(s.app, 'label', 'Delete me'), what='the message back')
    # and the server still has it
    ids = [m['msg']['content'][0]['title']['text'] for m in s.inbox(token)['inbox_notifs']]
    if ids != ['Delete me']:
        raise UITestError('the server has %r' % ids)


sys.exit(run([test_delete_key_then_undo]))
