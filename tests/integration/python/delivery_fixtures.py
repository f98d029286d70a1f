"""Fixtures for suites that need real message delivery (registered in conftest.py).

  delivery_cert       session: a self-signed certificate for localhost/127.0.0.1 (openssl req)
  smtp_sink           module: SmtpSink offering STARTTLS (required) and AUTH PLAIN/LOGIN for
                      SMTP_USER with a random password (sink.users[SMTP_USER])
  webhook_receiver    module: WebhookReceiver verifying X-Cognate-Signature under a random secret
  delivery_server     module: a cognate server whose email goes to smtp_sink (STARTTLS, AUTH,
                      --smtp-ca-file) and whose SMS goes to webhook_receiver
  delivery_cognito    module: boto3 client for delivery_server

  mail = smtp_sink.next_message(email); code = mail.code()
  event = webhook_receiver.next_event(phone); code = event["request"]["code"]

delivery_args() builds the flags (and environment) for servers started by hand, e.g. with
start_server(extra_args=args, extra_env=env).
"""

import os
import secrets

import pytest

from cognate_server import CognateServer
from helpers import boto_client
from smtp_sink import SmtpSink, make_test_cert
from webhook_receiver import WebhookReceiver

SMTP_USER = "cognate-mailer"
SMTP_FROM = "Cognate Tests <no-reply@cognate.test>"


def delivery_args(workdir, sink=None, cert=None, receiver=None, email_receiver=None,
                  password_in_file=False, extra=()):
    """(args, env) for `cognate serve`: SMTP to `sink` (password from the environment, or a file
    with password_in_file), SMS to `receiver`, email to `email_receiver` when given (without a
    sink that makes it the email default); secrets go to files in `workdir`."""
    args, env = [], {}
    os.makedirs(workdir, exist_ok=True)
    if sink is not None:
        args += ["--smtp-url", sink.url, "--smtp-from", SMTP_FROM]
        if cert is not None:
            args += ["--smtp-ca-file", cert.cert_file]
        if sink.users:
            user, password = next(iter(sink.users.items()))
            args += ["--smtp-user", user]
            if password_in_file:
                path = os.path.join(workdir, "smtp-password")
                with open(path, "w") as f:
                    f.write(password + "\n")
                args += ["--smtp-password-file", path]
            else:
                env["COGNATE_SMTP_PASSWORD"] = password
    hooks = [r for r in (receiver, email_receiver) if r is not None]
    if hooks:
        assert len({r.secret for r in hooks}) == 1, "one webhook secret per server"
        path = os.path.join(workdir, "webhook-secret")
        with open(path, "w") as f:
            f.write(hooks[0].secret + "\n")
        args += ["--webhook-secret-file", path]
    if receiver is not None:
        args += ["--sms-webhook-url", receiver.url_for("sms")]
    if email_receiver is not None:
        args += ["--email-webhook-url", email_receiver.url_for("email")]
    return args + list(extra), env


@pytest.fixture(scope="session")
def delivery_cert(tmp_path_factory):
    return make_test_cert(str(tmp_path_factory.mktemp("smtp-cert")))


@pytest.fixture(scope="module")
def smtp_sink(delivery_cert):
    sink = SmtpSink(users={SMTP_USER: secrets.token_urlsafe(18)}, tls=delivery_cert)
    with sink:
        yield sink


@pytest.fixture(scope="module")
def webhook_receiver():
    with WebhookReceiver(secret=secrets.token_urlsafe(32)) as hook:
        yield hook


@pytest.fixture(scope="module")
def delivery_server(smtp_sink, webhook_receiver, delivery_cert, tmp_path_factory):
    args, env = delivery_args(str(tmp_path_factory.mktemp("delivery")), sink=smtp_sink,
                              cert=delivery_cert, receiver=webhook_receiver)
    server = CognateServer(extra_args=args, extra_env=env)
    try:
        server.start()
    except Exception as e:
        server.cleanup()
        pytest.fail(f"cannot start cognate with delivery flags: {e}", pytrace=False)
    yield server
    server.stop()
    server.cleanup()


@pytest.fixture(scope="module")
def delivery_cognito(delivery_server):
    return boto_client(delivery_server)
