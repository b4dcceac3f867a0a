# test-offline.py: the server goes away; the app shows its saved messages
# under the offline bar; the server comes back on the same port, Retry on
# the bar syncs again and the bar goes.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import re
import sys

from uitest import UITestError, click, find, run, shown, text_of, wait_for

OFFLINE = re.compile(r'^Offline')
RETRY = re.compile(r'Retry$')


def test_offline_bar_then_retry(s):
    s.start_server()
    args = s.signed_in_args()
    s.start_app(*args)
    wait_for(lambda: find(s.app, 'label', 'Weekend offer'), what='the synced inbox')
    if find(s.app, 'label', OFFLINE) is not None:
        raise UITestError('the offline bar shows while the server is up')
    s.stop_app()

    port = s.port
    s.stop_server()
    s.start_app(*args)
    # the saved messages, under the bar
    wait_for(lambda: find(s.app, 'label', 'Weekend offer'), what='the saved messages')
    bar = wait_for(lambda: find(s.app, 'label', OFFLINE), what='the offline bar')
    print('# offline bar: %r' % text_of(bar))

    # Retry is found while the bar shows, and pressed as soon as the server
    # is back: the app's own retry (after 2 s, 4 s, 8 s…) would otherwise win
    # on a slow machine (the ASan pass)
    retry = wait_for(lambda: find(s.app, 'push button', RETRY), what='Retry on the bar')
    s.start_server(demo=False, port=port)  # the same database: the same user and token
    click(retry)
    wait_for(lambda: not shown(bar), what='the offline bar to go')
    if find(s.app, 'label', 'Weekend offer') is None:
        raise UITestError('the messages went with the bar')


sys.exit(run([test_offline_bar_then_retry]))
