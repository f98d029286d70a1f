"""Real message delivery: codes by SMTP (STARTTLS + AUTH, smtps, LOGIN) to smtp_sink and by signed
webhooks to webhook_receiver; failures answer CodeDeliveryFailureException and leave no user
behind; per-pool choices from --delivery-config; configurations that must not start."""

import email.utils
import json
import os
import re
import time

import pytest

from cognate_server import ServerError
from delivery_fixtures import SMTP_FROM, SMTP_USER, delivery_args
from helpers import boto_client, unique
from helpers_assert import client_error
from helpers_users import PASSWORD, attr_map, attrs, email_of, find_messages, make_client, make_pool
from smtp_sink import SmtpSink
from webhook_receiver import SIGNATURE_HEADER, WebhookReceiver, verify_signature

EMAIL_FAILURE = "Invalid email provided/Unable to send the email"
SMS_FAILURE = "Invalid phone number provided/Unable to send the SMS"


def new_phone():
    return "+1555" + str(int.from_bytes(os.urandom(4), "big") % 10**7).zfill(7)


@pytest.fixture(scope="module")
def email_pool(delivery_cognito):
    pool_id = make_pool(delivery_cognito, AutoVerifiedAttributes=["email"])
    return pool_id, make_client(delivery_cognito, pool_id)["ClientId"]


@pytest.fixture(scope="module")
def phone_pool(delivery_cognito):
    pool_id = make_pool(delivery_cognito, AutoVerifiedAttributes=["phone_number"])
    return pool_id, make_client(delivery_cognito, pool_id)["ClientId"]


def sign_up(cognito, client_id, username, **attributes):
    return cognito.sign_up(ClientId=client_id, Username=username, Password=PASSWORD,
                           UserAttributes=attrs(attributes))


def assert_no_user(cognito, pool_id, username):
    client_error(cognito.admin_get_user, UserPoolId=pool_id, Username=username,
                 code="UserNotFoundException")


def delivery_failure(fn, message, **kwargs):
    e = client_error(fn, code="CodeDeliveryFailureException", **kwargs)
    assert e.response["Error"]["Message"] == message, e.response["Error"]
    return e


# ---- SMTP ---------------------------------------------------------------------------------
def test_email_code_over_starttls_with_auth_then_confirm(delivery_cognito, delivery_server,
                                                         smtp_sink, email_pool):
    pool_id, client_id = email_pool
    username = unique("mail")
    address = email_of(username)
    r = sign_up(delivery_cognito, client_id, username, email=address)
    assert r["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL", r

    mail = smtp_sink.next_message(address)
    assert mail.tls, "the message must travel over STARTTLS"
    assert mail.auth_user == SMTP_USER and mail.auth_mechanism in ("PLAIN", "LOGIN"), mail
    assert mail.mail_from == "no-reply@cognate.test" and mail.rcpt_to == [address], mail
    m = mail.message
    assert m["From"] == SMTP_FROM and m["To"] == address, dict(m)
    assert m["Subject"] == "Your verification code", m["Subject"]
    assert m["MIME-Version"] == "1.0"
    assert m.get_content_type() == "text/plain" and m.get_content_charset() == "utf-8"
    assert re.fullmatch(r"<[0-9a-f]{32}@cognate\.test>", m["Message-ID"]), m["Message-ID"]
    assert abs(email.utils.parsedate_to_datetime(m["Date"]).timestamp() - time.time()) < 600
    assert b"\r\n" in mail.data and b"\n" not in mail.data.replace(b"\r\n", b"")
    # SMTP only: nothing in the outbox.
    assert not find_messages(delivery_server, pool_id=pool_id, username=username)

    delivery_cognito.confirm_sign_up(ClientId=client_id, Username=username,
                                     ConfirmationCode=mail.code())
    u = delivery_cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    assert u["UserStatus"] == "CONFIRMED"
    assert attr_map(u["UserAttributes"])["email_verified"] == "true"


def test_non_ascii_subject_and_leading_dots(delivery_cognito, smtp_sink):
    body = "Olá!\n.Seu código é {####}\n..fim\n."
    pool_id = make_pool(delivery_cognito, AutoVerifiedAttributes=["email"],
                        VerificationMessageTemplate={"EmailSubject": "Código de verificação",
                                                     "EmailMessage": body})
    client_id = make_client(delivery_cognito, pool_id)["ClientId"]
    username = unique("utf8")
    sign_up(delivery_cognito, client_id, username, email=email_of(username))
    mail = smtp_sink.next_message(email_of(username))
    assert mail.message["Subject"] == "Código de verificação"
    assert re.search(rb"^Subject: =\?UTF-8\?B\?", mail.data, re.M), mail.data[:400]
    code = mail.code()
    assert mail.text().splitlines() == ["Olá!", f".Seu código é {code}", "..fim", "."]


def test_smtp_down_fails_and_leaves_no_user(delivery_cognito, smtp_sink, email_pool):
    pool_id, client_id = email_pool
    username = unique("down")
    address = email_of(username)
    smtp_sink.stop()
    try:
        delivery_failure(sign_up, EMAIL_FAILURE, cognito=delivery_cognito, client_id=client_id,
                         username=username, email=address)
    finally:
        smtp_sink.start()
    assert_no_user(delivery_cognito, pool_id, username)
    # The same sign-up works once the server is back.
    sign_up(delivery_cognito, client_id, username, email=address)
    delivery_cognito.confirm_sign_up(ClientId=client_id, Username=username,
                                     ConfirmationCode=smtp_sink.next_message(address).code())


def test_smtp_temporary_failure_is_retried_three_times(delivery_cognito, smtp_sink, email_pool):
    pool_id, client_id = email_pool
    username = unique("busy")
    before = smtp_sink.connections
    smtp_sink.greeting_code = 421
    try:
        delivery_failure(sign_up, EMAIL_FAILURE, cognito=delivery_cognito, client_id=client_id,
                         username=username, email=email_of(username))
    finally:
        smtp_sink.greeting_code = 220
    assert smtp_sink.connections - before == 3, "three attempts (--delivery-attempts default)"
    assert_no_user(delivery_cognito, pool_id, username)


def test_failed_invitation_leaves_no_user(delivery_cognito, smtp_sink, email_pool):
    pool_id, _ = email_pool
    username = unique("invitee")
    address = email_of(username)
    smtp_sink.stop()
    try:
        delivery_failure(delivery_cognito.admin_create_user, EMAIL_FAILURE, UserPoolId=pool_id,
                         Username=username, UserAttributes=attrs({"email": address}))
    finally:
        smtp_sink.start()
    assert_no_user(delivery_cognito, pool_id, username)
    delivery_cognito.admin_create_user(UserPoolId=pool_id, Username=username,
                                       UserAttributes=attrs({"email": address}),
                                       TemporaryPassword="Temp-Passw0rd!")
    mail = smtp_sink.next_message(address)
    assert mail.message["Subject"] == "Your temporary password"
    assert "Temp-Passw0rd!" in mail.text() and username in mail.text()


def test_wrong_smtp_password_is_a_delivery_failure(start_server, smtp_sink, delivery_cert,
                                                   tmp_path):
    args, env = delivery_args(str(tmp_path), sink=smtp_sink, cert=delivery_cert)
    env["COGNATE_SMTP_PASSWORD"] = "not-the-password"
    server = start_server(extra_args=args + ["--delivery-attempts", "1"], extra_env=env)
    cognito = boto_client(server)
    pool_id = make_pool(cognito, AutoVerifiedAttributes=["email"])
    client_id = make_client(cognito, pool_id)["ClientId"]
    failed = smtp_sink.failed_logins
    username = unique("badpw")
    delivery_failure(sign_up, EMAIL_FAILURE, cognito=cognito, client_id=client_id,
                     username=username, email=email_of(username))
    assert smtp_sink.failed_logins == failed + 1
    assert "not-the-password" not in server.log_text()
    assert "Login denied" in server.log_text(), "the operator's log says why"
    server.stop()


def test_starttls_required_refuses_a_server_without_it(start_server, tmp_path):
    with SmtpSink() as plain:  # no TLS, no AUTH
        args, env = delivery_args(str(tmp_path), sink=plain)
        server = start_server(extra_args=args, extra_env=env)
        cognito = boto_client(server)
        pool_id = make_pool(cognito, AutoVerifiedAttributes=["email"])
        client_id = make_client(cognito, pool_id)["ClientId"]
        username = unique("plain")
        delivery_failure(sign_up, EMAIL_FAILURE, cognito=cognito, client_id=client_id,
                         username=username, email=email_of(username))
        assert plain.connections >= 1 and not plain.messages, "nothing sent in clear text"
        server.stop()
        # Opportunistic STARTTLS accepts a server that has none.
        server = start_server(data_dir=server.data_dir, extra_env=env,
                              extra_args=args + ["--smtp-starttls", "optional"])
        cognito = boto_client(server)
        sign_up(cognito, client_id, username, email=email_of(username))
        assert plain.next_message(email_of(username)).tls is False
        server.stop()


def test_implicit_tls_with_login_and_a_password_file(start_server, delivery_cert, tmp_path):
    with SmtpSink(users={"login-user": "pässword 1"}, tls=delivery_cert, implicit_tls=True,
                  mechanisms=("LOGIN",)) as sink:
        assert sink.url.startswith("smtps://")
        args, env = delivery_args(str(tmp_path), sink=sink, cert=delivery_cert,
                                  password_in_file=True)
        assert not env
        server = start_server(extra_args=args, extra_env=env)
        cognito = boto_client(server)
        pool_id = make_pool(cognito, AutoVerifiedAttributes=["email"])
        client_id = make_client(cognito, pool_id)["ClientId"]
        username = unique("smtps")
        sign_up(cognito, client_id, username, email=email_of(username))
        mail = sink.next_message(email_of(username))
        assert mail.tls and mail.auth_user == "login-user" and mail.auth_mechanism == "LOGIN"
        server.stop()


# ---- webhooks -----------------------------------------------------------------------------
def test_sms_code_by_signed_webhook_then_confirm(delivery_cognito, webhook_receiver, phone_pool):
    pool_id, client_id = phone_pool
    username = unique("phone")
    phone = new_phone()
    r = sign_up(delivery_cognito, client_id, username, phone_number=phone)
    assert r["CodeDeliveryDetails"]["DeliveryMedium"] == "SMS", r

    d = webhook_receiver.next_delivery(phone)
    assert d.signature_ok and d.status == 200 and d.path == "/sms", d
    assert d.headers["Content-Type"] == "application/json"
    assert verify_signature(webhook_receiver.secret, d.headers[SIGNATURE_HEADER], d.body)
    assert not verify_signature(webhook_receiver.secret, d.headers[SIGNATURE_HEADER],
                                d.body + b" "), "the signature covers the body"
    event = d.json
    assert set(event) == {"version", "triggerSource", "region", "userPoolId", "userName",
                          "callerContext", "request", "response"}, event
    assert event["version"] == "1" and event["triggerSource"] == "CustomSMSSender_SignUp"
    assert event["region"] == "us-east-1" and event["userPoolId"] == pool_id
    assert event["userName"] == username
    assert event["callerContext"] == {"awsSdkVersion": "aws-sdk-unknown-unknown",
                                      "clientId": client_id}
    request = event["request"]
    assert request["type"] == "customSMSSenderRequestV1"
    assert re.fullmatch(r"\d{6}", request["code"]), request
    assert request["clientMetadata"] == {}
    assert request["userAttributes"]["phone_number"] == phone
    assert request["userAttributes"]["sub"] == r["UserSub"]
    assert event["response"] == {}

    delivery_cognito.resend_confirmation_code(ClientId=client_id, Username=username)
    resent = webhook_receiver.next_event(phone)
    assert resent["triggerSource"] == "CustomSMSSender_ResendCode"
    delivery_cognito.confirm_sign_up(ClientId=client_id, Username=username,
                                     ConfirmationCode=resent["request"]["code"])
    u = delivery_cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    assert u["UserStatus"] == "CONFIRMED"
    assert attr_map(u["UserAttributes"])["phone_number_verified"] == "true"


def test_webhook_500_fails_and_leaves_no_user(delivery_cognito, webhook_receiver, phone_pool):
    pool_id, client_id = phone_pool
    username = unique("hook500")
    phone = new_phone()
    webhook_receiver.fail_next(100)
    try:
        delivery_failure(sign_up, SMS_FAILURE, cognito=delivery_cognito, client_id=client_id,
                         username=username, phone_number=phone)
    finally:
        webhook_receiver.fail_next(0)
    tries = webhook_receiver.deliveries_to(phone)
    assert [t.status for t in tries] == [500, 500, 500], tries
    assert all(t.signature_ok for t in tries)
    assert_no_user(delivery_cognito, pool_id, username)
    sign_up(delivery_cognito, client_id, username, phone_number=phone)
    for _ in tries:
        webhook_receiver.next_delivery(phone)  # skip the failed ones
    event = webhook_receiver.next_event(phone)
    delivery_cognito.confirm_sign_up(ClientId=client_id, Username=username,
                                     ConfirmationCode=event["request"]["code"])


def test_webhook_recovers_within_the_retries(delivery_cognito, webhook_receiver, phone_pool):
    _, client_id = phone_pool
    phone = new_phone()
    webhook_receiver.fail_next(2, status=503)
    sign_up(delivery_cognito, client_id, unique("retry"), phone_number=phone)
    assert [d.status for d in webhook_receiver.deliveries_to(phone)] == [503, 503, 200]
    codes = {d.json["request"]["code"] for d in webhook_receiver.deliveries_to(phone)}
    assert len(codes) == 1, "every attempt carries the same code"


def test_webhook_answer_body_is_ignored(delivery_cognito, webhook_receiver, phone_pool):
    _, client_id = phone_pool
    phone = new_phone()
    webhook_receiver.padding = 200_000  # more than Cognate reads of an answer
    try:
        sign_up(delivery_cognito, client_id, unique("bigbody"), phone_number=phone)
    finally:
        webhook_receiver.padding = 0
    assert [d.status for d in webhook_receiver.deliveries_to(phone)] == [200]


def test_webhook_timeout_is_a_failure(start_server, tmp_path, phone_pool):
    with WebhookReceiver(secret="timeout-secret", delay=2.5) as slow:
        args, env = delivery_args(str(tmp_path), receiver=slow,
                                  extra=["--delivery-timeout", "1", "--delivery-attempts", "2"])
        server = start_server(extra_args=args, extra_env=env)
        cognito = boto_client(server)
        pool_id = make_pool(cognito, AutoVerifiedAttributes=["phone_number"])
        client_id = make_client(cognito, pool_id)["ClientId"]
        username = unique("slow")
        delivery_failure(sign_up, SMS_FAILURE, cognito=cognito, client_id=client_id,
                         username=username, phone_number=new_phone())
        assert_no_user(cognito, pool_id, username)
        server.stop()


def test_email_webhook_is_the_email_default_without_smtp(start_server, tmp_path):
    with WebhookReceiver(secret="email-hook-secret") as hook:
        args, env = delivery_args(str(tmp_path), email_receiver=hook)
        server = start_server(extra_args=args, extra_env=env)
        cognito = boto_client(server)
        pool_id = make_pool(cognito, AutoVerifiedAttributes=["email"])
        client_id = make_client(cognito, pool_id)["ClientId"]
        username = unique("emailhook")
        sign_up(cognito, client_id, username, email=email_of(username))
        d = hook.next_delivery(email_of(username))
        assert d.path == "/email" and d.signature_ok
        assert d.json["triggerSource"] == "CustomEmailSender_SignUp"
        assert d.json["request"]["type"] == "customEmailSenderRequestV1"
        server.stop()


# ---- routing and start-up ------------------------------------------------------------------
def test_per_pool_override_sends_one_pool_to_the_outbox(start_server, smtp_sink, delivery_cert,
                                                        tmp_path):
    server = start_server()
    cognito = boto_client(server)
    quiet = make_pool(cognito, AutoVerifiedAttributes=["email"])
    loud = make_pool(cognito, AutoVerifiedAttributes=["email"])
    quiet_client = make_client(cognito, quiet)["ClientId"]
    loud_client = make_client(cognito, loud)["ClientId"]
    server.stop()
    config = tmp_path / "delivery.json"
    config.write_text(json.dumps({"pools": {quiet: {"email": "outbox"}}}))
    args, env = delivery_args(str(tmp_path), sink=smtp_sink, cert=delivery_cert,
                              extra=["--delivery-config", str(config)])
    server.extra_args, server.extra_env = args, env
    server.start()
    cognito = boto_client(server)

    quiet_user, loud_user = unique("quiet"), unique("loud")
    sign_up(cognito, quiet_client, quiet_user, email=email_of(quiet_user))
    sign_up(cognito, loud_client, loud_user, email=email_of(loud_user))
    assert smtp_sink.next_message(email_of(loud_user)).message["To"] == email_of(loud_user)
    assert len(find_messages(server, pool_id=quiet, username=quiet_user)) == 1
    assert not find_messages(server, pool_id=loud)
    assert not smtp_sink.messages_to(email_of(quiet_user))
    server.stop()


@pytest.mark.parametrize("flags, message", [
    (["--delivery-config", "{config}"], "pools.us-east-1_Abc.email uses smtp, which is not "
                                        "configured"),
    (["--smtp-url", "smtp://127.0.0.1:25", "--smtp-from", "a@b.co", "--smtp-password", "x"],
     "--smtp-password is not accepted"),
    (["--smtp-url", "smtp://127.0.0.1:25"], "--smtp-url needs --smtp-from"),
    (["--smtp-url", "smtp://127.0.0.1:25", "--smtp-from", "a@b.co", "--smtp-user", "u"],
     "--smtp-user needs COGNATE_SMTP_PASSWORD or --smtp-password-file"),
])
def test_bad_delivery_configuration_does_not_start(start_server, tmp_path, flags, message):
    config = tmp_path / "delivery.json"
    config.write_text('{"pools":{"us-east-1_Abc":{"email":"smtp"}}}')
    server = start_server(start=False,
                          extra_args=[f.replace("{config}", str(config)) for f in flags])
    with pytest.raises(ServerError):
        server.start(timeout=10)
    assert message in server.log_text(), server.log_tail()
