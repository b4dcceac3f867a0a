# test-sign-in.py: signing in by typing, as a person does: the Server, User
# and Token fields of the sign-in page, then Sign In. A wrong token shows its
# error on the page; the right one shows the inbox, the demo messages' titles
# readable in the tree.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import sys

import re

from uitest import UITestError, click, find, find_all, is_sensitive, run, text_of, type_text, wait_for

SIGN_IN = re.compile(r'Sign In$')


def sign_in_page(s):
    view = wait_for(lambda: find(s.app, 'filler', 'InboxSignInView'), what='the sign-in page')
    fields = {}
    for name in ('Server', 'User', 'Token'):
        fields[name] = wait_for(lambda: find(view, 'text', name), what='the %s field' % name)
    button = find(view, 'push button', SIGN_IN)
    if button is None:
        raise UITestError('no Sign In button')
    return view, fields, button


def fill(fields, server, user, token):
    type_text(fields['Server'], server)
    type_text(fields['User'], user)
    type_text(fields['Token'], token)


def test_wrong_token_then_right(s):
    s.start_server()
    s.start_app('--no-keyring')
    view, fields, button = sign_in_page(s)
    static = set(text_of(n) for n in find_all(view, 'label'))

    fill(fields, s.url, 'demo', '0' * 64)
    wait_for(lambda: is_sensitive(button), what='Sign In to be sensitive')
    click(button)

    def error_shown():
        texts = [text_of(n) for n in find_all(view, 'label')]
        new = [t for t in texts if t not in static]
        return new
    error = wait_for(error_shown, what='the sign-in error')
    print('# error shown: %r' % error)
    if find(s.app, 'label', 'Weekend offer') is not None:
        raise UITestError('a wrong token showed the inbox')

    type_text(fields['Token'], s.demo_token)
    click(button)
    for title in ('Weekend offer', 'Your order has shipped'):
        wait_for(lambda: find(s.app, 'label', title), what='“%s” in the inbox' % title)
    wait_for(lambda: find(s.app, 'filler', 'InboxSignInView') is None,
             what='the sign-in page to go')


sys.exit(run([test_wrong_token_then_right]))
