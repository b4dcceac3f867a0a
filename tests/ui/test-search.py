# test-search.py: typing in the list starts a search ("uber" finds "Über
# den Wolken", the other cards go); Escape leaves it and every card is
# back; the header bar's Search button opens the search bar, and a word
# typed there narrows the list; Unread of the All / Unread pair shows the
# unread messages only.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import re
import sys

from uitest import click, find, press_key, run, shown, simple, tab_to, text_of, type_text, wait_for

ORDER = simple('Your order has shipped', 'It is on its way to Köln.')
FLIGHTS = simple('Über den Wolken', 'Flights for less this week.')
COFFEE = simple('Weekend offer', 'Half price on every second coffee.')


def cards_shown(s, *titles):
    """Exactly the cards of these titles are on screen."""
    for title in ('Your order has shipped', 'Über den Wolken', 'Weekend offer'):
        if (find(s.app, 'label', title) is not None) != (title in titles):
            return False
    return True


def test_search(s):
    s.start_server(demo=False)
    token = s.user_with(ORDER, FLIGHTS, COFFEE)
    s.start_app(*s.signed_in_args('ui', token))
    wait_for(lambda: cards_shown(s, 'Your order has shipped', 'Über den Wolken', 'Weekend offer'),
             what='the three cards')
    # seen, and so read (what the Unread filter is about, at the end)
    for title in ('Your order has shipped', 'Über den Wolken', 'Weekend offer'):
        wait_for(lambda: find(s.app, 'panel', re.compile(re.escape(title) + r'\. Read\.')),
                 what='"%s" read' % title)

    # typing with the focus in the list searches
    tab_to(s, lambda n: n.getRoleName() == 'panel' and 'Weekend offer' in n.name, 'a card')
    for key in ('u', 'b', 'e', 'r'):
        press_key(key)
    entry = wait_for(lambda: find(s.app, 'text', 'Search messages') or find(s.app, 'entry', 'Search messages'),
                     what='the search entry')
    wait_for(lambda: text_of(entry) == 'uber', what='the typed word in the search entry')
    wait_for(lambda: cards_shown(s, 'Über den Wolken'), what='only the card with "Über"')

    # Escape leaves the search: every card again
    press_key('Escape')
    wait_for(lambda: not shown(entry), what='the search bar to close')
    wait_for(lambda: cards_shown(s, 'Your order has shipped', 'Über den Wolken', 'Weekend offer'),
             what='the three cards back')

    # the header bar's Search button, a word typed in the entry
    button = wait_for(lambda: find(s.app, 'push button', 'Search'), what='the Search button')
    click(button)
    wait_for(lambda: shown(entry), what='the search bar')
    type_text(entry, 'koln')
    wait_for(lambda: cards_shown(s, 'Your order has shipped'), what='only the card with "Köln"')
    type_text(entry, 'zebra')
    wait_for(lambda: find(s.app, 'label', 'No Results Found') is not None, what='No Results Found')
    click(button)
    wait_for(lambda: cards_shown(s, 'Your order has shipped', 'Über den Wolken', 'Weekend offer'),
             what='the three cards after the search')

    # Unread: the cards seen meanwhile are read; none is left unread
    unread = wait_for(lambda: find(s.app, 'push button', 'Unread'), what='the Unread button')
    click(unread)
    wait_for(lambda: cards_shown(s), what='no card once Unread is on')
    wait_for(lambda: find(s.app, 'label', 'No Unread Messages') is not None, what='No Unread Messages')
    click(wait_for(lambda: find(s.app, 'push button', 'All'), what='the All button'))
    wait_for(lambda: cards_shown(s, 'Your order has shipped', 'Über den Wolken', 'Weekend offer'),
             what='the three cards under All')


sys.exit(run([test_search]))
