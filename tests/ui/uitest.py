# uitest.py: the harness of the end-to-end UI tests. Each test runs in its
# own session bus (meson starts it under dbus-run-session) with its own
# accessibility bus, the real app-inbox-server on a free loopback port and
# the real app-inbox, and drives the app only through AT-SPI (pyatspi):
# typing with EditableText, clicking with Action, keys through the registry.
# Every wait polls the tree (or the server, or a file) with a timeout.
#
# Run with Debian's /usr/bin/python3 (python3-pyatspi).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

import gi
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi, GLib  # noqa: E402
import pyatspi  # noqa: E402

TIMEOUT = float(os.environ.get('UI_TEST_TIMEOUT', '30'))


def simple(title, text):
    """A simple message's msg object."""
    return {'type': 'simple', 'content': [{'title': {'text': title}, 'message': {'text': text}}]}


class UITestError(AssertionError):
    pass


def wait_for(predicate, timeout=TIMEOUT, what=None):
    """Polls predicate() until it returns something true, and returns that;
    fails after timeout seconds. Exceptions of AT-SPI (a node gone while it
    was read) count as not yet."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        # let pyatspi see the events it gets (caches, children)
        ctx = GLib.MainContext.default()
        while ctx.pending():
            ctx.iteration(False)
        try:
            result = predicate()
            if result:
                return result
        except (GLib.Error, LookupError, RuntimeError) as e:
            last_error = e
        if time.monotonic() > deadline:
            raise UITestError('timed out after %gs waiting for %s%s' % (
                timeout, what or getattr(predicate, '__name__', 'a condition'),
                ' (last error: %s)' % last_error if last_error else ''))
        time.sleep(0.05)


# --- the tree ------------------------------------------------------------

def role_name(node):
    try:
        return node.getRoleName()
    except Exception:
        return '?'


def name_of(node):
    try:
        return node.name or ''
    except Exception:
        return ''


def children(node):
    try:
        n = node.childCount
    except Exception:
        return []
    out = []
    for i in range(n):
        try:
            c = node.getChildAtIndex(i)
        except Exception:
            c = None
        if c is not None:
            out.append(c)
    return out


def walk(node, depth=0, max_depth=60):
    yield node
    if depth >= max_depth:
        return
    for c in children(node):
        yield from walk(c, depth + 1, max_depth)


def states(node):
    try:
        return node.getState()
    except Exception:
        return None


def is_visible(node):
    s = states(node)
    return s is not None and s.contains(pyatspi.STATE_VISIBLE)


def is_sensitive(node):
    s = states(node)
    return s is not None and s.contains(pyatspi.STATE_SENSITIVE)


def extents(node):
    try:
        e = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        return (e.x, e.y, e.width, e.height)
    except Exception:
        return (0, 0, 0, 0)


def shown(node):
    """True when node is on screen. GTK 4.8 sets no SHOWING state and keeps
    VISIBLE on the children of a hidden stack page or a closed revealer; a
    widget never shown has empty extents, and one hidden since keeps its old
    ones, but then no longer contains its own middle (GTK picks only what is
    mapped). A widget that cannot be picked (transparent) counts as hidden."""
    x, y, w, h = extents(node)
    if w <= 0 or h <= 0:
        return False
    try:
        return bool(node.queryComponent().contains(x + w // 2, y + h // 2, pyatspi.WINDOW_COORDS))
    except Exception:
        return False


def _match(node, role, name, visible_only):
    if role is not None and role_name(node) != role:
        return False
    if name is not None:
        n = name_of(node)
        if hasattr(name, 'search'):
            if not name.search(n):
                return False
        elif n != name:
            return False
    if visible_only and not shown(node):
        return False
    return True


def find_all(root, role=None, name=None, visible_only=True):
    return [n for n in walk(root) if _match(n, role, name, visible_only)]


def find(root, role=None, name=None, visible_only=True):
    for n in walk(root):
        if _match(n, role, name, visible_only):
            return n
    return None


def text_of(node):
    """What a label or an entry shows."""
    try:
        t = node.queryText()
        return t.getText(0, t.characterCount)
    except Exception:
        return name_of(node)


def labels(root):
    """The texts of every visible label under root."""
    return [text_of(n) for n in find_all(root, 'label')]


def dump(node, depth=0, out=None):
    """The tree as text, for failure logs."""
    out = out if out is not None else []
    s = states(node)
    flags = ''
    if s is not None:
        flags = ''.join(c for c, st in (('v', pyatspi.STATE_VISIBLE),
                                         ('s', pyatspi.STATE_SENSITIVE),
                                         ('f', pyatspi.STATE_FOCUSED))
                        if s.contains(st))
    out.append('%s%s %r [%s]' % ('  ' * depth, role_name(node), name_of(node), flags))
    for c in children(node):
        dump(c, depth + 1, out)
    return '\n'.join(out)


# --- doing things ----------------------------------------------------------

def click(node, action=None):
    """Runs the node's click (or its first, or the named) action."""
    a = node.queryAction()
    names = [a.getName(i) for i in range(a.nActions)]
    if action is None:
        for candidate in ('click', 'activate', 'press', 'toggle'):
            if candidate in names:
                action = candidate
                break
    if action is None and names:
        action = names[0]
    if action not in names:
        raise UITestError('%s %r has no action %r (it has %r)' % (
            role_name(node), name_of(node), action, names))
    if not a.doAction(names.index(action)):
        raise UITestError('%s %r: %s failed' % (role_name(node), name_of(node), action))


def type_text(entry, text):
    """Replaces what the entry holds with text, through EditableText."""
    e = entry.queryEditableText()
    if not e.setTextContents(text):
        raise UITestError('could not type into %s %r' % (role_name(entry), name_of(entry)))


def focus(node):
    if not node.queryComponent().grabFocus():
        raise UITestError('could not focus %s %r' % (role_name(node), name_of(node)))


def press_key(keysym_name):
    """Presses and releases a key (an X keysym name such as 'Delete',
    'Right', 'Tab') on whatever has the focus."""
    gi.require_version('Gdk', '4.0')
    from gi.repository import Gdk
    keysym = getattr(Gdk, 'KEY_' + keysym_name)
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)


def click_at(node):
    """A left click in the middle of node, with the pointer (window
    coordinates: with no window manager the window sits at 0,0)."""
    x, y, w, h = extents(node)
    if w <= 0 or h <= 0:
        raise UITestError('%s %r is not on screen' % (role_name(node), name_of(node)))
    pyatspi.Registry.generateMouseEvent(x + w // 2, y + h // 2, pyatspi.MOUSE_B1C)


def pointer_into(window):
    """Puts the pointer over the window: with no window manager, X gives the
    keyboard to the window under the pointer."""
    x, y, w, h = extents(window)
    pyatspi.Registry.generateMouseEvent(max(w // 2, 1), max(h // 2, 1), pyatspi.MOUSE_ABS)


def focused(root):
    for n in walk(root):
        s = states(n)
        if s is not None and s.contains(pyatspi.STATE_FOCUSED):
            return n
    return None


def is_within(node, ancestor):
    n = node
    for _ in range(80):
        if n is None:
            return False
        if n == ancestor:
            return True
        try:
            n = n.parent
        except Exception:
            return False
    return False


def tab_to(session, predicate, what, max_tabs=60, window=None):
    """Presses Tab until the focused node (of window, by default the main
    one) satisfies predicate, as a keyboard user does (GTK 4.8 does not
    grab the focus for AT-SPI)."""
    window = window or session.window()
    pointer_into(window)
    for _ in range(max_tabs):
        before = focused(window)
        if before is not None and predicate(before):
            return before
        press_key('Tab')
        try:
            wait_for(lambda: focused(window) not in (None, before), timeout=5,
                     what='the focus to move')
        except UITestError:
            pass
    raise UITestError('Tab never reached %s' % what)


# --- the session ---------------------------------------------------------

def free_port():
    import socket
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Session:
    """One test's world: the a11y bus, the server, the app, a temp folder."""

    def __init__(self, name):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix='ui-%s-' % name)
        self.procs = []
        self.server = None
        self.app_proc = None
        self.app = None
        self.admin_token = None
        self.url = None
        self.port = None
        self.demo_token = None
        for sub in ('config', 'data', 'cache', 'media'):
            os.makedirs(os.path.join(self.dir, sub))

    # the server
    def start_server(self, demo=True, port=0):
        if self.admin_token is None:
            self.admin_token = os.urandom(24).hex()
            with open(os.path.join(self.dir, 'admin-token'), 'w') as f:
                f.write(self.admin_token)
        log_path = os.path.join(self.dir, 'server.log')
        log = open(log_path, 'a')
        args = [os.environ['APP_INBOX_SERVER'], '--listen', '127.0.0.1:%d' % port,
                '--db', os.path.join(self.dir, 'server.sqlite'),
                '--media', os.path.join(self.dir, 'media'),
                '--admin-token-file', os.path.join(self.dir, 'admin-token')]
        if demo:
            args.append('--demo')
        start = os.path.getsize(log_path)
        self.server = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(self.server)

        def listening():
            if self.server.poll() is not None:
                raise UITestError('the server exited: ' + open(log_path).read())
            with open(log_path) as f:
                f.seek(start)
                text = f.read()
            m = re.search(r'^app-inbox-server: listening on (\S+)', text, re.M)
            if m and demo:
                t = re.search(r'^app-inbox-server: demo token: (\S+)', text, re.M)
                if t:
                    self.demo_token = t.group(1)
            return m.group(1).rstrip('/') if m else None
        self.url = wait_for(listening, what='the server to listen')
        self.port = int(self.url.rsplit(':', 1)[1])
        return self.url

    def stop_server(self):
        if self.server is not None and self.server.poll() is None:
            self.server.kill()
            self.server.wait()
        self.server = None

    def http(self, method, path, token, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={'Authorization': 'Bearer ' + token,
                                              'Content-Type': 'application/json'})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read().decode())

    def create_user(self, user):
        return self.http('POST', '/v1/users', self.admin_token, {'user': user})['token']

    def publish(self, users, msg):
        return self.http('POST', '/v1/campaigns', self.admin_token,
                         {'target': {'users': users}, 'message': {'msg': msg}})

    def inbox(self, token):
        return self.http('GET', '/v1/inbox', token)

    def user_with(self, *messages, user='ui'):
        """A new user with each of @messages published to them; their token."""
        token = self.create_user(user)
        for msg in messages:
            self.publish([user], msg)
        return token

    # the app
    def app_env(self):
        env = dict(os.environ)
        # the bridge on; links through GIO's default handler, not a portal
        for var in ('NO_AT_BRIDGE', 'GTK_A11Y', 'GTK_USE_PORTAL', 'GDK_DEBUG'):
            env.pop(var, None)
        env.update({
            'GSETTINGS_BACKEND': 'keyfile',
            'XDG_CONFIG_HOME': os.path.join(self.dir, 'config'),
            'XDG_DATA_HOME': os.path.join(self.dir, 'data'),
            'XDG_CACHE_HOME': os.path.join(self.dir, 'cache'),
            'XDG_DATA_DIRS': os.path.join(self.dir, 'data') + ':/usr/local/share:/usr/share',
            'GDK_BACKEND': 'x11',
            'GSK_RENDERER': 'cairo',
            'LC_ALL': 'C.UTF-8',
            'LANGUAGE': 'C',
        })
        return env

    def start_app(self, *args):
        log = open(os.path.join(self.dir, 'app.log'), 'a')
        self.app_proc = subprocess.Popen([os.environ['APP_INBOX']] + list(args),
                                         env=self.app_env(), stdout=log,
                                         stderr=subprocess.STDOUT)
        self.procs.append(self.app_proc)
        pid = self.app_proc.pid

        def found():
            if self.app_proc.poll() is not None:
                raise UITestError('the app exited with %d' % self.app_proc.returncode)
            desktop = pyatspi.Registry.getDesktop(0)
            for a in children(desktop):
                try:
                    if a.get_process_id() == pid and a.childCount > 0:
                        return a
                except Exception:
                    pass
            return None
        self.app = wait_for(found, what='the app on the accessibility bus')
        try:
            self.app.set_cache_mask(Atspi.Cache.NONE)
        except Exception:
            pass
        return self.app

    def stop_app(self):
        if self.app_proc is not None and self.app_proc.poll() is None:
            self.app_proc.terminate()
            self.app_proc.wait(timeout=30)
        self.app_proc = None
        self.app = None

    def window(self):
        return wait_for(lambda: find(self.app, 'frame'), what='the window')

    def record_uris(self):
        """Makes a recorder the default handler of http and https links for
        the app (a desktop entry in XDG_DATA_HOME, mimeapps.list in
        XDG_CONFIG_HOME): gtk_show_uri goes through GIO's default handler
        (no portal outside a sandbox), which runs it with the link, and it
        appends the link to a file. Returns a function that reads the
        links opened so far."""
        log = os.path.join(self.dir, 'opened-uris')
        script = os.path.join(self.dir, 'record-uri')
        with open(script, 'w') as f:
            f.write('#!/bin/sh\nprintf \'%%s\\n\' "$1" >> \'%s\'\n' % log)
        os.chmod(script, 0o755)
        apps = os.path.join(self.dir, 'data', 'applications')
        os.makedirs(apps, exist_ok=True)
        with open(os.path.join(apps, 'ui-test-recorder.desktop'), 'w') as f:
            f.write('[Desktop Entry]\nType=Application\nName=Link recorder\n'
                    'Exec=%s %%u\nNoDisplay=true\n'
                    'MimeType=x-scheme-handler/http;x-scheme-handler/https;\n' % script)
        with open(os.path.join(self.dir, 'config', 'mimeapps.list'), 'w') as f:
            f.write('[Default Applications]\n'
                    'x-scheme-handler/http=ui-test-recorder.desktop\n'
                    'x-scheme-handler/https=ui-test-recorder.desktop\n')

        def opened():
            try:
                with open(log) as f:
                    return f.read().splitlines()
            except OSError:
                return []
        return opened

    def clipboard(self):
        """What the X clipboard holds (xclip asks its owner, the app)."""
        r = subprocess.run(['xclip', '-o', '-selection', 'clipboard'],
                           capture_output=True, text=True, timeout=10)
        return r.stdout if r.returncode == 0 else None

    def signed_in_args(self, user='demo', token=None):
        token_file = os.path.join(self.dir, 'token-' + user)
        with open(token_file, 'w') as f:
            f.write(token or self.demo_token)
        return ['--server', self.url, '--user', user, '--token-file', token_file,
                '--no-keyring']

    def close(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.kill()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
        if os.environ.get('UI_TEST_KEEP'):
            print('# kept', self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def check_sanitizers(self):
        """Fails on what AddressSanitizer or UndefinedBehaviorSanitizer said
        in the app's or the server's log (run-tests' ASan pass builds both
        with them), even when the steps went through."""
        for which in ('app.log', 'server.log'):
            text = self.log(which)
            m = re.search(r'^.*(ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:).*$', text, re.M)
            if m:
                raise UITestError('%s: %s' % (which, m.group(0)))

    def log(self, which):
        try:
            with open(os.path.join(self.dir, which)) as f:
                return f.read()
        except OSError:
            return ''


def start_a11y_bus():
    """The accessibility bus of this session bus, for the whole run (pyatspi
    keeps its connection to the first one it meets)."""
    # its bus daemon must not hold the test's output open after the end
    p = subprocess.Popen(['/usr/libexec/at-spi-bus-launcher', '--launch-immediately'],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)

    def answers():
        if p.poll() is not None:
            raise UITestError('at-spi-bus-launcher exited with %d' % p.returncode)
        r = subprocess.run(['gdbus', 'call', '--session', '--dest', 'org.a11y.Bus',
                            '--object-path', '/org/a11y/bus',
                            '--method', 'org.a11y.Bus.GetAddress'],
                           capture_output=True, text=True, timeout=5)
        return r.returncode == 0 and re.search(r"'(unix:[^']*)'", r.stdout)
    address = wait_for(answers, what='the accessibility bus').group(1)
    # this bus, not one another session on the same display put on the
    # root window (libatspi looks there before it asks the session bus)
    os.environ['AT_SPI_BUS_ADDRESS'] = address
    return p


def run(tests):
    """Runs each test function (taking a Session) in order, as TAP, in a
    session bus of its own (it starts itself again under dbus-run-session)."""
    if os.environ.get('UITEST_PRIVATE_BUS') != str(os.getppid()):
        os.environ['UITEST_PRIVATE_BUS'] = str(os.getpid())
        sys.stdout.flush()
        os.execvp('dbus-run-session', ['dbus-run-session', '--', sys.executable] + sys.argv)
    # test names; --options are the script's own
    only = [a for a in sys.argv[1:] if not a.startswith('--')]
    tests = [t for t in tests if not only or t.__name__ in only]
    # An X server with no client left resets, and refuses connections while
    # it does: one connection held for the whole run keeps it up between the
    # apps of one test and the next.
    gi.require_version('Gdk', '4.0')
    from gi.repository import Gdk
    x_keepalive = wait_for(lambda: Gdk.Display.open(os.environ.get('DISPLAY', '')),
                           what='the X display')
    a11y_bus = start_a11y_bus()
    print('1..%d' % len(tests), flush=True)
    failed = 0
    for i, t in enumerate(tests, 1):
        s = None
        try:
            s = Session(t.__name__)
            t(s)
            s.check_sanitizers()
            print('ok %d %s' % (i, t.__name__), flush=True)
        except Exception:
            failed += 1
            print('not ok %d %s' % (i, t.__name__), flush=True)
            for line in traceback.format_exc().splitlines():
                print('# ' + line)
            if s is not None:
                if s.app is not None:
                    try:
                        for line in dump(s.app).splitlines():
                            print('# ' + line)
                    except Exception:
                        pass
                for which in ('app.log', 'server.log'):
                    for line in s.log(which).splitlines()[-30:]:
                        print('# %s: %s' % (which, line))
            sys.stdout.flush()
        finally:
            if s is not None:
                s.close()
    x_keepalive.close()
    a11y_bus.terminate()  # it ends its bus daemon
    a11y_bus.wait()
    return 1 if failed else 0
