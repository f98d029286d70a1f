"""A small SMTP server that keeps what it receives, for tests (Python standard library only).

It speaks enough ESMTP for a submission client such as libcurl: EHLO/HELO, STARTTLS, AUTH
PLAIN and LOGIN (credentials checked), MAIL, RCPT, DATA (dot-unstuffed), RSET, NOOP, QUIT.
Every accepted message is parsed with the email package and kept as a ReceivedMail.

    with SmtpSink(users={"mailer": "pw"}, tls=make_test_cert(tmp)) as sink:
        ...  # point the server at sink.url ("smtp://127.0.0.1:<port>")
        mail = sink.next_message("alice@example.com", timeout=10)
        code = mail.code()            # the first 6-digit number in the text

Options: users (None: no AUTH offered or required), tls (a TestCert: offer STARTTLS, or speak
TLS from the first byte with implicit_tls=True), require_tls (refuse AUTH/MAIL before
STARTTLS), mechanisms (the AUTH mechanisms offered), greeting_code (421 makes every
connection fail, to simulate an unavailable server). stop() closes the port; start() opens it
again on the same port.

As a script: python3 smtp_sink.py --port 2525 [--user NAME:PASSWORD] [--starttls] prints
each message as a JSON line.
"""

import base64
import email
import email.policy
import os
import re
import socketserver
import ssl
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

from loopback import LoopbackService

MAX_LINE = 4096
MAX_MESSAGE = 10 * 1024 * 1024


@dataclass
class TestCert:
    """A self-signed certificate for localhost and 127.0.0.1 (PEM files)."""
    cert_file: str
    key_file: str


def make_test_cert(directory):
    """Creates cert.pem/key.pem in `directory` with `openssl req` (valid one day)."""
    os.makedirs(directory, exist_ok=True)
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", key, "-out", cert],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return TestCert(cert, key)


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_to: list
    data: bytes                 # As received after dot-unstuffing, CRLF line endings.
    tls: bool                   # The transaction ran over TLS (STARTTLS or implicit).
    auth_user: str = None       # Who authenticated, if anyone.
    auth_mechanism: str = None  # "PLAIN" / "LOGIN"
    message: email.message.EmailMessage = field(default=None, repr=False)

    def header(self, name):
        return self.message[name]

    def text(self):
        """The decoded text/plain body."""
        return self.message.get_content()

    def code(self, pattern=r"\b(\d{6})\b"):
        m = re.search(pattern, self.text())
        assert m, f"no code in the message: {self.text()!r}"
        return m.group(1)


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def setup(self):
        sink = self.server.sink
        if sink.implicit_tls:
            self.request = sink._context().wrap_socket(self.request, server_side=True)
        super().setup()
        self.tls = sink.implicit_tls
        self.user = self.mechanism = None
        self.mail_from = None
        self.rcpt = []

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass  # The client went away; nothing to flush to.

    def reply(self, text):
        self.wfile.write(text.encode() + b"\r\n")
        self.wfile.flush()

    def read_line(self):
        line = self.rfile.readline(MAX_LINE + 2)
        if not line:
            raise ConnectionError("client closed")
        return line.rstrip(b"\r\n").decode("utf-8", "replace")

    def handle(self):
        sink = self.server.sink
        sink._connections += 1
        try:
            if sink.greeting_code != 220:
                self.reply(f"{sink.greeting_code} 4.3.2 Service not available")
                return
            self.reply("220 localhost ESMTP cognate-test-sink")
            while True:
                line = self.read_line()
                verb, _, arg = line.partition(" ")
                if not self.dispatch(verb.upper(), arg):
                    return
        except (ConnectionError, OSError, ssl.SSLError):
            return

    def dispatch(self, verb, arg):
        """Handles one command; False ends the session."""
        handler = {"EHLO": self.ehlo, "HELO": self.helo, "STARTTLS": self.starttls,
                   "AUTH": self.auth, "MAIL": self.mail, "RCPT": self.rcpt_to,
                   "DATA": self.data, "RSET": self.rset, "NOOP": self.noop,
                   "QUIT": self.quit}.get(verb)
        if handler is None:
            self.reply("502 5.5.2 Command not implemented")
            return True
        return handler(arg)

    def ehlo(self, arg):
        sink = self.server.sink
        lines = ["localhost greets " + arg, "SIZE 10485760"]
        if sink.tls and not self.tls:
            lines.append("STARTTLS")
        if sink.users is not None and (self.tls or not sink.require_tls):
            lines.append("AUTH " + " ".join(sink.mechanisms))
        for i, text in enumerate(lines):
            self.reply(("250 " if i == len(lines) - 1 else "250-") + text)
        self.reset()
        return True

    def helo(self, arg):
        self.reply("250 localhost")
        return True

    def starttls(self, arg):
        if not self.server.sink.tls or self.tls:
            self.reply("454 4.7.0 TLS not available")
            return True
        self.reply("220 2.0.0 Ready to start TLS")
        self.request = self.server.sink._context().wrap_socket(self.request, server_side=True)
        self.rfile = self.request.makefile("rb")
        self.wfile = self.request.makefile("wb")
        self.tls = True
        self.user = self.mechanism = None  # RFC 3207: forget everything from before.
        self.reset()
        return True

    def needs_tls(self):
        sink = self.server.sink
        if sink.require_tls and not self.tls:
            self.reply("530 5.7.0 Must issue a STARTTLS command first")
            return True
        return False

    def auth(self, arg):
        sink = self.server.sink
        mechanism, _, initial = arg.partition(" ")
        mechanism = mechanism.upper()
        if self.needs_tls():
            return True
        if sink.users is None or mechanism not in sink.mechanisms:
            self.reply("504 5.5.4 Unrecognized authentication type")
            return True
        try:
            if mechanism == "PLAIN":
                response = initial or self.challenge("")
                _, user, password = base64.b64decode(response).decode().split("\0")
            else:  # LOGIN
                user = base64.b64decode(initial or self.challenge("VXNlcm5hbWU6")).decode()
                password = base64.b64decode(self.challenge("UGFzc3dvcmQ6")).decode()
        except (ValueError, UnicodeDecodeError):
            self.reply("501 5.5.2 Cannot decode the response")
            return True
        if sink.users.get(user) != password:
            sink.failed_logins += 1
            self.reply("535 5.7.8 Authentication credentials invalid")
            return True
        self.user, self.mechanism = user, mechanism
        self.reply("235 2.7.0 Authentication successful")
        return True

    def challenge(self, text):
        self.reply("334 " + text)
        return self.read_line()

    def mail(self, arg):
        sink = self.server.sink
        if self.needs_tls():
            return True
        if sink.users is not None and self.user is None:
            self.reply("530 5.7.0 Authentication required")
            return True
        m = re.match(r"(?i)FROM:\s*<([^>]*)>", arg)
        if not m:
            self.reply("501 5.5.4 Syntax: MAIL FROM:<address>")
            return True
        self.mail_from, self.rcpt = m.group(1), []
        self.reply("250 2.1.0 OK")
        return True

    def rcpt_to(self, arg):
        m = re.match(r"(?i)TO:\s*<([^>]*)>", arg)
        if self.mail_from is None or not m:
            self.reply("503 5.5.1 MAIL first" if self.mail_from is None else
                       "501 5.5.4 Syntax: RCPT TO:<address>")
            return True
        self.rcpt.append(m.group(1))
        self.reply("250 2.1.5 OK")
        return True

    def data(self, arg):
        if self.mail_from is None or not self.rcpt:
            self.reply("503 5.5.1 RCPT first")
            return True
        self.reply("354 End data with <CR><LF>.<CR><LF>")
        lines, size = [], 0
        while True:
            raw = self.rfile.readline(MAX_LINE * 16)
            if not raw:
                raise ConnectionError("client closed during DATA")
            if raw == b".\r\n":
                break
            if raw.startswith(b"."):
                raw = raw[1:]  # RFC 5321 4.5.2 transparency
            size += len(raw)
            if size > MAX_MESSAGE:
                self.reply("552 5.3.4 Message too big")
                return False
            lines.append(raw)
        self.server.sink._store(ReceivedMail(
            self.mail_from, list(self.rcpt), b"".join(lines), self.tls, self.user,
            self.mechanism))
        self.reset()
        self.reply("250 2.0.0 OK queued")
        return True

    def reset(self):
        self.mail_from, self.rcpt = None, []

    def rset(self, arg):
        self.reset()
        return self.noop(arg)

    def noop(self, arg):
        self.reply("250 2.0.0 OK")
        return True

    def quit(self, arg):
        self.reply("221 2.0.0 Bye")
        return False


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A client that drops the connection (or a TLS handshake) is not a sink bug.
        if not isinstance(sys.exc_info()[1], (OSError, ssl.SSLError)):
            super().handle_error(request, client_address)


class SmtpSink(LoopbackService):
    server_class = _Server
    handler_class = _Handler
    thread_name = "smtp-sink"

    def __init__(self, host="127.0.0.1", port=0, users=None, tls=None, implicit_tls=False,
                 require_tls=None, mechanisms=("PLAIN", "LOGIN"), greeting_code=220):
        super().__init__(host, port)
        self.users = users
        self.tls = tls
        self.implicit_tls = implicit_tls
        self.require_tls = bool(tls) if require_tls is None else require_tls
        self.mechanisms = tuple(m.upper() for m in mechanisms)
        self.greeting_code = greeting_code
        self.messages = []
        self.failed_logins = 0
        self._connections = 0
        self._taken = set()
        self._cond = threading.Condition()
        self._ssl = None

    def attach(self, server):
        server.sink = self

    @property
    def url(self):
        return f"{'smtps' if self.implicit_tls else 'smtp'}://{self.host}:{self.port}"

    @property
    def connections(self):
        return self._connections

    # ---- received mail -------------------------------------------------------------------
    def _context(self):
        if self._ssl is None:
            self._ssl = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._ssl.load_cert_chain(self.tls.cert_file, self.tls.key_file)
        return self._ssl

    def _store(self, mail):
        mail.message = email.message_from_bytes(mail.data, policy=email.policy.default)
        with self._cond:
            self.messages.append(mail)
            self._cond.notify_all()

    def messages_to(self, address):
        with self._cond:
            return [m for m in self.messages if address in m.rcpt_to]

    def next_message(self, address, timeout=10.0):
        """The oldest message to `address` that no earlier call returned, waiting for it."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for i, m in enumerate(self.messages):
                    if i not in self._taken and address in m.rcpt_to:
                        self._taken.add(i)
                        return m
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no new mail to {address} within {timeout}s "
                                         f"({len(self.messages)} received in all)")
                self._cond.wait(left)


def _main():
    import argparse
    import json
    import tempfile
    p = argparse.ArgumentParser(description="Test SMTP sink: prints received mail as JSON lines")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=2525)
    p.add_argument("--user", action="append", default=[], help="NAME:PASSWORD (repeatable)")
    p.add_argument("--starttls", action="store_true", help="offer STARTTLS (self-signed)")
    p.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte")
    args = p.parse_args()
    tls = None
    if args.starttls or args.implicit_tls:
        tls = make_test_cert(tempfile.mkdtemp(prefix="smtp-sink-"))
        print(f"CA/certificate: {tls.cert_file}", flush=True)
    users = dict(u.split(":", 1) for u in args.user) or None
    sink = SmtpSink(args.host, args.port, users=users, tls=tls, implicit_tls=args.implicit_tls)
    with sink:
        print(f"listening on {sink.url}", flush=True)
        seen = 0
        try:
            while True:
                with sink._cond:
                    sink._cond.wait(1)
                    new = sink.messages[seen:]
                    seen = len(sink.messages)
                for m in new:
                    print(json.dumps({"from": m.mail_from, "to": m.rcpt_to, "tls": m.tls,
                                      "auth_user": m.auth_user,
                                      "subject": str(m.header("Subject")),
                                      "text": m.text()}), flush=True)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    _main()
