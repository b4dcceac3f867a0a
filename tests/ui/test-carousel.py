# test-carousel.py: paging a carousel with its Next button (shown on hover)
# and with the arrow keys, once Tab brought the focus to it; the carousel is
# announced as the picture it shows.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import re
import sys

import pyatspi

from uitest import (UITestError, click, extents, find, find_all, is_within, name_of,
                    press_key, run, shown, tab_to, wait_for)

CAROUSEL = {
    'type': 'carousel',
    'content': [
        {'title': {'text': t}, 'message': {'text': t + ', the text.'},
         'media': {'url': 'media/' + f, 'content_type': 'image/png', 'alt_text': alt}}
        for t, f, alt in (('Mountains', 'mountains.png', 'Mountains at dawn'),
                          ('Lakes', 'lake.png', 'A lake at dusk'),
                          ('Forests', 'forest.png', 'Pine forest'))
    ],
}

PICTURE = re.compile(r'^Picture (\d) of 3')


def current_picture(carousel):
    """The number of the picture that sits where the carousel starts."""
    cx = extents(carousel)[0]
    for img in find_all(carousel, 'image', PICTURE, visible_only=False):
        if abs(extents(img)[0] - cx) < 4:
            return int(PICTURE.match(img.name).group(1))
    return None


def test_carousel_next_and_keys(s):
    s.start_server()  # the demo's pictures
    token = s.user_with(CAROUSEL)
    s.start_app(*s.signed_in_args('ui', token))
    card = wait_for(lambda: find(s.app, 'panel', re.compile(r'^Carousel: Mountains')),
                    what='the carousel card')
    carousel = wait_for(lambda: find(card, 'filler', 'AdwCarousel'), what='the carousel')
    wait_for(lambda: current_picture(carousel) == 1, what='picture 1')

    # Next, over the pictures: it shows on hover, so the pointer goes over
    # the pictures first, as a person's would
    next_button = wait_for(lambda: find(card, 'push button', 'Next', visible_only=False),
                           what='the Next button')
    if find(card, 'push button', 'Previous', visible_only=False) is None:
        raise UITestError('no Previous button')
    x, y, w, h = extents(carousel)
    pyatspi.Registry.generateMouseEvent(x + w // 2, y + h // 2, pyatspi.MOUSE_ABS)
    wait_for(lambda: shown(next_button), what='Next to show on hover')
    click(next_button)
    wait_for(lambda: current_picture(carousel) == 2, what='picture 2 after Next')

    def on_carousel(n):
        # the carousel's focus stop in the card, announced as its picture
        return (n.getRoleName() == 'panel' and PICTURE.match(n.name)
                and is_within(n, card))
    group = tab_to(s, on_carousel, 'the carousel')
    if not group.name.startswith('Picture 2 of 3: A lake at dusk'):
        raise UITestError('the carousel is announced as %r' % group.name)
    press_key('Right')
    wait_for(lambda: current_picture(carousel) == 3, what='picture 3 after Right')
    wait_for(lambda: name_of(group).startswith('Picture 3 of 3: Pine forest'),
             what='the carousel to be announced as picture 3')
    press_key('Left')
    wait_for(lambda: current_picture(carousel) == 2, what='picture 2 after Left')
    press_key('Left')
    wait_for(lambda: current_picture(carousel) == 1, what='picture 1 after Left again')


sys.exit(run([test_carousel_next_and_keys]))
