#!/usr/bin/python3
# The Python example (examples/python/inbox-example.py) against the real demo
# server, through the build tree's AppInbox-1 typelib. TAP on stdout.
#
# The parent starts `app-inbox-server --demo` on a free loopback port, then
# runs itself again as the child in an environment made from nothing: the
# library and its typelib are found through GI_TYPELIB_PATH and
# LD_LIBRARY_PATH alone (both the build tree's src/), beside what any GTK
# program needs to run headless (PATH, the display, the session bus,
# GSETTINGS_BACKEND=memory, GSK_RENDERER=cairo, no accessibility bus,
# G_DEBUG=fatal-warnings, a scratch HOME and XDG folders). The child imports
# the example, opens its window and checks:
# - it signs in to the demo server, and its store holds the demo messages
#   (data/demo/inbox.json: order, templates, slides, titles);
# - a mark-read from Python (InboxStore.set_read_many) reaches the server
#   (GET /v1/inbox says isRead) after a sync (InboxClient.sync_now);
# - the `kv` button of a demo message, clicked through the view's
#   `inbox.click` action, hands its map to Python as a dict, and the
#   example prints the click and the map.
# Then, in the same environment, the parent runs the script itself as a
# person would (`python3 inbox-example.py --help`, a half-given account, a
# sign-in to the demo server).
#
# Usage: test-python-example.py BUILDDIR SERVER EXAMPLE DEMO_INBOX_JSON
#
# SPDX-License-Identifier: GPL-3.0-or-later

import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

# what a headless GTK program needs from the outer environment
PASSED_THROUGH = ('PATH', 'DISPLAY', 'XAUTHORITY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR',
                  'DBUS_SESSION_BUS_ADDRESS', 'LANG', 'LC_ALL', 'TMPDIR')

SERVER_START_TIMEOUT = 20
CHILD_TIMEOUT = 240
WAIT_TIMEOUT = 60


# --- TAP: the child's lines, then the parent's, one plan ------------------

class Tap:
    def __init__(self, n=0):
        self.n = n
        self.failed = False

    def ok(self, cond, what, detail=None):
        self.n += 1
        if cond:
            print(f'ok {self.n} - {what}', flush=True)
        else:
            self.failed = True
            print(f'not ok {self.n} - {what}', flush=True)
            if detail is not None:
                for line in str(detail).splitlines():
                    print(f'# {line}', flush=True)
        return cond

    def bail(self, why):
        print(f'Bail out! {why}', flush=True)
        sys.exit(1)

    def done(self):
        print(f'1..{self.n}', flush=True)
        return 1 if self.failed else 0


# --- the parent: the demo server and a clean environment -----------------

def start_demo_server(server, scratch):
    admin = os.path.join(scratch, 'admin-token')
    with open(os.open(admin, os.O_WRONLY | os.O_CREAT, 0o600), 'w') as f:
        f.write(os.urandom(24).hex())
    log_path = os.path.join(scratch, 'server.log')
    log = open(log_path, 'w')
    proc = subprocess.Popen([server, '--listen', '127.0.0.1:0',
                             '--db', os.path.join(scratch, 'server.sqlite'),
                             '--media', os.path.join(scratch, 'media'),
                             '--admin-token-file', admin, '--demo'],
                            stdout=log, stderr=subprocess.STDOUT)
    log.close()

    deadline = time.monotonic() + SERVER_START_TIMEOUT
    url = token = None
    while url is None:
        with open(log_path) as f:
            for line in f:
                if line.startswith('app-inbox-server: demo token: '):
                    token = line.split(': ', 2)[2].strip()
                elif line.startswith('app-inbox-server: listening on '):
                    url = line.split(' on ', 1)[1].strip()
        if url is not None:
            break
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            with open(log_path) as f:
                sys.stdout.write(''.join('# ' + line for line in f))
            print('Bail out! the demo server did not start')
            sys.exit(1)
        time.sleep(0.05)

    if token is None:
        proc.kill()
        print('Bail out! the demo server printed no demo token')
        sys.exit(1)
    token_file = os.path.join(scratch, 'demo-token')
    with open(os.open(token_file, os.O_WRONLY | os.O_CREAT, 0o600), 'w') as f:
        f.write(token + '\n')
    return proc, url, token_file


def demo_messages(demo_inbox):
    with open(demo_inbox) as f:
        return json.load(f)['inbox_notifs']


def parent(argv):
    build, server, example, demo_inbox = argv[1:5]
    libdir = os.path.join(os.path.abspath(build), 'src')

    with tempfile.TemporaryDirectory(prefix='inbox-python-example-') as scratch:
        proc, url, token_file = start_demo_server(server, scratch)
        home = os.path.join(scratch, 'home')
        os.mkdir(home)
        env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
        env.update({
            'GI_TYPELIB_PATH': libdir,
            'LD_LIBRARY_PATH': libdir,
            'GSETTINGS_BACKEND': 'memory',
            'GSK_RENDERER': 'cairo',
            'NO_AT_BRIDGE': '1',
            'GTK_A11Y': 'none',
            'G_DEBUG': 'fatal-warnings',
            'HOME': home,
            'XDG_CONFIG_HOME': os.path.join(home, 'config'),
            'XDG_DATA_HOME': os.path.join(home, 'data'),
            'XDG_CACHE_HOME': os.path.join(home, 'cache'),
        })
        print('# child environment: ' + ' '.join(sorted(env)), flush=True)
        try:
            tap = run_child(env, scratch, url, token_file, example, demo_inbox)
            run_script(tap, env, scratch, url, token_file, example, len(demo_messages(demo_inbox)))
        finally:
            proc.terminate()
            proc.wait()
    return tap.done()


def run_child(env, scratch, url, token_file, example, demo_inbox):
    """The checks of the example's objects, in the child; its TAP lines go
    on as ours."""
    tap = Tap()
    child = subprocess.Popen([sys.executable, os.path.abspath(__file__), '--child',
                              url, token_file, os.path.abspath(example), os.path.abspath(demo_inbox)],
                             env=env, cwd=scratch, stdout=subprocess.PIPE, text=True)
    timer = threading.Timer(CHILD_TIMEOUT, child.kill)
    timer.start()
    try:
        for line in child.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            if line.startswith('ok ') or line.startswith('not ok '):
                tap.n += 1
                tap.failed |= line.startswith('not ok ')
            elif line.startswith('Bail out!'):
                sys.exit(1)
        status = child.wait()
    finally:
        timer.cancel()
    if status != 0 and not tap.failed:
        tap.bail(f'the example test ended with status {status}')
    return tap


def run_script(tap, env, scratch, url, token_file, example, n_messages):
    """`python3 examples/python/inbox-example.py` itself, as a person runs it."""
    command = [sys.executable, os.path.abspath(example)]

    done = subprocess.run(command + ['--help'], env=env, cwd=scratch, capture_output=True, text=True,
                          timeout=WAIT_TIMEOUT)
    tap.ok(done.returncode == 0 and '--token-file FILE' in done.stdout,
           'python3 inbox-example.py --help lists --server, --user and --token-file',
           done.stdout + done.stderr)

    done = subprocess.run(command + ['--server', url], env=env, cwd=scratch, capture_output=True,
                          text=True, timeout=WAIT_TIMEOUT)
    tap.ok(done.returncode == 2 and 'go together' in done.stderr,
           'python3 inbox-example.py --server alone is refused (exit 2)',
           f'exit {done.returncode}: {done.stderr}')

    # signs in and keeps its window up (after the child: the unread count is
    # what the child left)
    script = subprocess.Popen(command + ['--server', url, '--user', 'demo', '--token-file', token_file],
                              env=env, cwd=scratch, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    timer = threading.Timer(WAIT_TIMEOUT, script.kill)
    timer.start()
    try:
        first = script.stdout.readline().rstrip('\n')
    finally:
        timer.cancel()
    running = script.poll() is None
    script.terminate()
    _, err = script.communicate(timeout=WAIT_TIMEOUT)
    wanted = re.compile(rf'signed in as demo: {n_messages} messages, [0-9]+ unread')
    tap.ok(wanted.fullmatch(first) is not None,
           f'python3 inbox-example.py --server {url} --user demo --token-file FILE prints "{first}"',
           f'wanted {wanted.pattern}\n{err}')
    tap.ok(running, 'its window stays up', err)


# --- the child: the example, in its own window ---------------------------

class Lines:
    """Stands in for stdout in the example's window: keeps what it prints."""

    def __init__(self):
        self.lines = []
        self._partial = ''

    def write(self, text):
        self._partial += text
        *complete, self._partial = self._partial.split('\n')
        self.lines.extend(complete)
        for line in complete:
            print(f'# example printed: {line}', flush=True)

    def flush(self):
        pass


def load_example(path):
    spec = importlib.util.spec_from_file_location('inbox_example', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def server_inbox(url, token):
    """The demo user's inbox as the server has it: _id → message."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url.rstrip('/') + '/v1/inbox?limit=1000',
                                     headers={'Authorization': f'Bearer {token}'})
    with opener.open(request, timeout=10) as answer:
        page = json.load(answer)
    assert page['more'] is False, 'the demo inbox fits one page'
    return {message['_id']: message for message in page['inbox_notifs']}


def child(argv):
    url, token_file, example_path, demo_inbox = argv[2:6]
    tap = Tap()

    example = load_example(example_path)
    from gi.repository import AppInbox, Gio, GLib

    tap.ok(gi_typelib_from_env(), 'AppInbox comes from the build tree, found through GI_TYPELIB_PATH',
           os.environ.get('GI_TYPELIB_PATH'))

    context = GLib.MainContext.default()

    def wait_for(cond, what, timeout=WAIT_TIMEOUT):
        deadline = time.monotonic() + timeout
        # a wake-up now and then, so that the deadline is looked at
        tick = GLib.timeout_add(50, lambda: GLib.SOURCE_CONTINUE)
        try:
            while not cond():
                if time.monotonic() > deadline:
                    tap.bail(f'timed out after {timeout} s waiting for {what}')
                context.iteration(True)
        finally:
            GLib.source_remove(tick)

    demo = demo_messages(demo_inbox)
    token = example.read_token(token_file)

    # the example's application, as its main() makes it (non-unique: the
    # test never talks to an example someone else runs)
    printed = Lines()
    app = example.ExampleApplication(url, 'demo', token, flags=Gio.ApplicationFlags.NON_UNIQUE, out=printed)
    if not app.register(None):
        tap.bail('the application could not register')
    app.activate()
    window = app.window
    client, view = window.client, window.view
    tap.ok(isinstance(view, AppInbox.View) and view.get_client() == client,
           "the example's window holds an InboxView of its own InboxClient")
    tap.ok(client.get_application_id() == example.APPLICATION_ID,
           f'the client has the example\'s application id {example.APPLICATION_ID}')

    # --- sign-in and the demo messages
    wait_for(lambda: app.signed_in or client.get_state() == AppInbox.ClientState.ERROR,
             'the sign-in to the demo server')
    tap.ok(app.signed_in, 'the example signs in to the demo server when the client needs it',
           client.get_error_message())
    signed_in_line = f'signed in as demo: {len(demo)} messages, {len(demo)} unread'
    tap.ok(printed.lines == [signed_in_line], f'the example prints "{signed_in_line}"', printed.lines)
    tap.ok(client.get_user() == 'demo' and client.get_server_url().rstrip('/') == url.rstrip('/'),
           f'the account is demo at {url}', f'{client.get_user()} at {client.get_server_url()}')

    store = client.get_store()
    wait_for(lambda: store.get_n_items() >= len(demo), 'the demo messages in the store')
    messages = [store.get_item(i) for i in range(store.get_n_items())]

    loaded = []
    store.load_content_async(messages, None, lambda s, result: loaded.append(s.load_content_finish(result)))
    wait_for(lambda: loaded, 'the messages\' content')
    tap.ok(loaded == [True], 'the content of every message loads')

    def slides(message):
        return [message.get_content(i) for i in range(message.get_n_contents())]

    got = [(m.get_type_name(), [c.get_title() for c in slides(m)]) for m in messages]
    wanted = [(d['msg']['type'], [c.get('title', {}).get('text') for c in d['msg']['content']])
              for d in demo]
    tap.ok(got == wanted, f'the store holds the {len(demo)} demo messages, newest first, '
           'with their templates and titles', f'got:    {got}\nwanted: {wanted}')

    on_server = server_inbox(url, token)
    tap.ok(sorted(m.get_id() for m in messages) == sorted(on_server),
           'their ids are the server\'s', f'{[m.get_id() for m in messages]} vs {sorted(on_server)}')
    tap.ok(store.lookup(messages[0].get_id())[0] == messages[0],
           'InboxStore.lookup finds a message by id')

    # --- a mark-read from Python reaches the server
    finished = []
    client.connect('sync-finished', lambda c, error: finished.append(error))

    wait_for(lambda: not client.get_syncing(), 'the session\'s first sync to end')
    # the oldest: below the fold of the example's window, never marked read
    # by the view's read tracker
    target = messages[-1]
    target_id = target.get_id()
    tap.ok(not target.get_read() and on_server[target_id]['isRead'] is False,
           f'{target_id} is unread, here and on the server')
    unread_before = store.get_unread_count()

    try:
        store.set_read_many([target_id], True)
        marked = True
    except GLib.Error as error:
        marked = False
        print(f'# {error.message}')
    tap.ok(marked and target.get_read() and store.get_unread_count() == unread_before - 1,
           'InboxStore.set_read_many marks it read from Python',
           f'read {target.get_read()}, unread {unread_before} → {store.get_unread_count()}')

    # a sync that starts after the mark sends the outbox first
    wait_for(lambda: not client.get_syncing(), 'a running sync to end')
    finished.clear()
    client.sync_now()
    tap.ok(client.get_syncing(), 'InboxClient.sync_now starts a sync')
    wait_for(lambda: finished, 'the sync to finish')
    tap.ok(finished == [None], 'the sync succeeds', finished)
    on_server = server_inbox(url, token)
    tap.ok(on_server[target_id]['isRead'] is True, f'the server has {target_id} read',
           json.dumps(on_server[target_id])[:300])

    # --- a kv button's map arrives in Python
    kv_button = None
    for position, (message, given) in enumerate(zip(messages, demo)):
        for s, content in enumerate(slides(message)):
            for b in range(content.get_n_links()):
                link = content.get_link(b)
                if link is not None and link.get_link_type() == AppInbox.LinkType.KV:
                    kv_button = (message, s, b, given['msg']['content'][s]['action']['links'][b]['kv'])
                    break
            if kv_button:
                break
        if kv_button:
            break
    if kv_button is None:
        tap.bail('no demo message has a kv button (data/demo/inbox.json)')
    message, s, b, wanted_kv = kv_button
    message_id = message.get_id()

    activated = []
    clicked = []
    view.connect('button-activated', lambda v, m, kv: activated.append((m.get_id(), kv)))
    view.connect('message-clicked', lambda v, m, slide, button: clicked.append((m.get_id(), slide, button)))
    done = view.activate_action('inbox.click', GLib.Variant('(sii)', (message_id, s, b)))
    tap.ok(done, 'the view has the action inbox.click')
    tap.ok(len(activated) == 1 and activated[0][0] == message_id,
           f'button-activated is emitted once, for {message_id}', activated)
    kv = activated[0][1] if activated else None
    tap.ok(isinstance(kv, dict) and kv == wanted_kv,
           f'the kv map arrives in Python as a dict: {kv}', f'wanted {wanted_kv}')
    tap.ok(clicked == [(message_id, s, b)], f'message-clicked says ({message_id}, {s}, {b})', clicked)

    pairs = ' '.join(f'{k}={wanted_kv[k]}' for k in sorted(wanted_kv))
    expected_lines = [f'kv {message_id} {pairs}', f'clicked {message_id} slide {s} button {b}']
    tap.ok(printed.lines[1:] == expected_lines, 'the example prints the map and the click',
           f'printed: {printed.lines[1:]}\nwanted:  {expected_lines}')

    client.stop()
    window.destroy()
    return 1 if tap.failed else 0  # the parent counts the lines and says the plan


def gi_typelib_from_env():
    import gi
    repository = gi.Repository.get_default()
    path = repository.get_typelib_path('AppInbox')
    wanted = os.environ.get('GI_TYPELIB_PATH', '')
    return bool(path) and bool(wanted) and os.path.dirname(os.path.abspath(path)) == os.path.abspath(wanted)


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == '--child':
        sys.exit(child(sys.argv))
    if len(sys.argv) != 5:
        print('Usage: test-python-example.py BUILDDIR SERVER EXAMPLE DEMO_INBOX_JSON', file=sys.stderr)
        sys.exit(2)
    sys.exit(parent(sys.argv))
