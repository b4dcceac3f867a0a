#!/usr/bin/python3
# inbox-example.py: an InboxView in a window of its own, from Python
#
# A GTK app that embeds libappinbox-1 through GObject introspection: its own
# InboxClient (its own application id, so it never touches App Inbox's
# cache; the token in memory only), an AdwHeaderBar whose view switcher
# shows the inbox's tabs, and the InboxView below it. Every click on a card
# or button is printed as
#
#     clicked <message id> slide <n> button <n>
#
# and every `kv` button's map as
#
#     kv <message id> key=value key=value ...
#
# Run it against the demo server (examples/README.md):
#
#     python3 examples/python/inbox-example.py --server URL --user demo --token-file FILE
#
# Without --server, --user and --token-file it shows the sign-in page.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import sys

import gi

gi.require_version('GLib', '2.0')
gi.require_version('Gio', '2.0')
gi.require_version('Gtk', '4.0')
gi.require_version('Adw', '1')
gi.require_version('AppInbox', '1')

from gi.repository import Adw, AppInbox, Gio, GLib, GObject, Gtk  # noqa: E402

APPLICATION_ID = 'org.example.InboxExamplePy'


def read_token(path):
    """The token in FILE, without the line break after it."""
    with open(path, encoding='utf-8') as f:
        return f.read().strip()


def format_click(message, slide, button):
    """What message-clicked prints: button -1 is the card (or slide) itself."""
    return f'clicked {message.get_id()} slide {slide} button {button}'


def format_kv(message, kv):
    """What button-activated prints: the button's map, keys sorted."""
    pairs = ' '.join(f'{key}={kv[key]}' for key in sorted(kv))
    return f'kv {message.get_id()} {pairs}'.rstrip()


def make_client(application_id=APPLICATION_ID):
    """The example's own inbox: its folders under its own id, no keyring."""
    return AppInbox.Client(application_id=application_id, use_keyring=False)


class ExampleWindow(Adw.ApplicationWindow):
    """A header bar with the inbox's tabs over an InboxView of `client`."""

    def __init__(self, client, out=sys.stdout, **kwargs):
        super().__init__(title='Inbox Example', default_width=480, default_height=640, **kwargs)
        self.client = client
        self.out = out

        self.view = AppInbox.View.new(client)
        self.view.set_vexpand(True)
        self.view.connect('message-clicked', self._message_clicked_cb)
        self.view.connect('button-activated', self._button_activated_cb)

        switcher = Adw.ViewSwitcherTitle(title='Inbox Example', stack=self.view.get_view_stack())
        # a narrow window: the tabs at the bottom of the view
        switcher.bind_property('title-visible', self.view.get_switcher_bar(), 'reveal',
                               GObject.BindingFlags.SYNC_CREATE)
        header = Adw.HeaderBar(title_widget=switcher)

        box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
        box.append(header)
        box.append(self.view)
        self.set_content(box)

    def _print(self, line):
        print(line, file=self.out, flush=True)

    def _message_clicked_cb(self, view, message, slide, button):
        self._print(format_click(message, slide, button))

    def _button_activated_cb(self, view, message, kv):
        # kv arrives as a Python dict of str → str
        self._print(format_kv(message, kv))


class ExampleApplication(Adw.Application):
    """One window; signs in from the command line when the client asks for it."""

    def __init__(self, server=None, user=None, token=None,
                 application_id=APPLICATION_ID, flags=Gio.ApplicationFlags.DEFAULT_FLAGS,
                 out=sys.stdout):
        super().__init__(application_id=application_id, flags=flags)
        self.account = (server, user, token) if server else None
        self.out = out
        self.client = None
        self.window = None
        self.signed_in = False

    def do_activate(self):
        if self.window is None:
            self.client = make_client(self.get_application_id())
            self.client.connect('notify::state', self._state_cb)
            self.window = ExampleWindow(self.client, out=self.out, application=self)
            self.client.start()
        self.window.present()

    def do_shutdown(self):
        if self.client is not None:
            self.client.stop()
        Adw.Application.do_shutdown(self)

    def _state_cb(self, client, pspec):
        if client.get_state() != AppInbox.ClientState.NEEDS_SIGN_IN or self.account is None:
            return
        server, user, token = self.account
        self.account = None  # once: afterwards the sign-in page is the user's
        client.sign_in_async(server, user, token, None, self._signed_in_cb)

    def _signed_in_cb(self, client, result):
        try:
            client.sign_in_finish(result)
        except GLib.Error as error:
            print(f'sign-in failed: {error.message}', file=sys.stderr, flush=True)
            return
        self.signed_in = True
        store = client.get_store()
        print(f'signed in as {client.get_user()}: {store.get_n_items()} messages, '
              f'{store.get_unread_count()} unread', file=self.out, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description='An App Inbox view in a window of its own (libappinbox-1 from Python)')
    parser.add_argument('--server', metavar='URL', help='the inbox server')
    parser.add_argument('--user', metavar='NAME', help='the user whose inbox to show')
    parser.add_argument('--token-file', metavar='FILE', help="a file holding the user's token")
    args = parser.parse_args(argv)
    given = [args.server, args.user, args.token_file]
    if any(given) and not all(given):
        parser.error('--server, --user and --token-file go together')
    return args


def main(argv):
    args = parse_args(argv[1:])
    token = read_token(args.token_file) if args.token_file else None
    app = ExampleApplication(args.server, args.user, token)
    return app.run([argv[0]])


if __name__ == '__main__':
    sys.exit(main(sys.argv))
