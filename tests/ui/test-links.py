# test-links.py: what a message's actions do, driven through the
# accessibility bus: activating a card and a `url` button opens their links
# (through a recording handler the test makes the default for https), and a
# `copy` button puts its text on the clipboard.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import sys

from uitest import UITestError, click, click_at, find, run, wait_for

CARD_URL = 'https://example.com/ui-test/card'
BUTTON_URL = 'https://example.com/ui-test/button'
COPY_TEXT = 'UI-TEST-COPY-42'

MESSAGE = {
    'type': 'simple',
    'content': [{
        'title': {'text': 'Links under test'},
        'message': {'text': 'A card with a link, a url button and a copy button.'},
        'action': {
            'hasUrl': True, 'url': {'desktop': {'text': CARD_URL}},
            'hasLinks': True,
            'links': [
                {'type': 'url', 'text': 'Open the site', 'url': {'desktop': {'text': BUTTON_URL}}},
                {'type': 'copy', 'text': 'Copy the code', 'copyText': {'text': COPY_TEXT}},
            ],
        },
    }],
}


def start(s):
    s.start_server(demo=False)
    token = s.user_with(MESSAGE)
    opened = s.record_uris()
    s.start_app(*s.signed_in_args('ui', token))
    wait_for(lambda: find(s.app, 'label', 'Links under test'), what='the message')
    return opened


def button(s, label):
    """The push button named label (a campaign button is named by its text)."""
    return wait_for(lambda: find(s.app, 'push button', label), what='the “%s” button' % label)


def test_card_and_url_button(s):
    opened = start(s)
    click(button(s, 'Open the site'))
    wait_for(lambda: opened() == [BUTTON_URL], what='the button’s link to open')

    # GTK 4.8 does not grab the focus for AT-SPI: a click on the card's text
    click_at(find(s.app, 'label', 'A card with a link, a url button and a copy button.'))
    wait_for(lambda: opened() == [BUTTON_URL, CARD_URL], what='the card’s link to open')


def test_copy_button(s):
    start(s)
    if s.clipboard() == COPY_TEXT:
        raise UITestError('the clipboard holds the text before the click')
    click(button(s, 'Copy the code'))
    wait_for(lambda: s.clipboard() == COPY_TEXT, what='the text on the clipboard')
    wait_for(lambda: find(s.app, 'label', 'Copied to clipboard'), what='the Copied toast')


sys.exit(run([test_card_and_url_button, test_copy_button]))
