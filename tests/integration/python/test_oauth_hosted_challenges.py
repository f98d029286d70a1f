"""The hosted pages' challenge steps over HTTP: SMS and email MFA codes from the outbox, the
choice between factors, and a new password for an invited user — each ending with a code the
client exchanges. Bad paths: wrong codes, a spent flow, a missing flow cookie."""

import requests

from helpers_users import PASSWORD, code_message, find_messages
from oauth_browser import CALLBACK, Browser, Page, code_of, exchange, oauth_app, pkce, user
from test_mfa_signin import SNS, raw_for


def mfa_app(cognito, server, mode, sms=False, email=False):
    app = oauth_app(cognito, server)
    config = {"UserPoolId": app.pool_id, "MfaConfiguration": mode,
              "SoftwareTokenMfaConfiguration": {"Enabled": True}}
    if sms:
        config["SmsMfaConfiguration"] = {"SmsAuthenticationMessage": "Code {####}",
                                         "SmsConfiguration": SNS}
    if email:
        config["EmailMfaConfiguration"] = {"Message": "Your code: {####}", "Subject": "Sign-in"}
    raw_for(cognito).ok("SetUserPoolMfaConfig", config)
    return app


def signed_in_to_challenge(app, username):
    browser = Browser(app)
    verifier, challenge = pkce()
    r = browser.sign_in(username, challenge=challenge)
    assert r.status_code == 303 and "/challenge?" in r.headers["Location"], r.headers
    return browser, verifier, browser.page(r)


def test_email_code_page_takes_the_emailed_code(cognito, server):
    app = mfa_app(cognito, server, "ON", email=True)
    username = user(cognito, app)
    since = len(find_messages(server, pool_id=app.pool_id, purpose="otp"))
    browser, verifier, page = signed_in_to_challenge(app, username)
    assert "emailed" in page.text and "@" in page.text  # the masked destination
    wrong = browser.submit(page, code="000000")
    assert wrong.status_code == 401 and Page(wrong).error() == "The code is not correct. Try again."
    code = code_message(server, since=since, pool_id=app.pool_id, purpose="otp")["code"]
    done = browser.submit(Page(wrong), code=code)
    tokens = exchange(app, code_of(done), verifier)
    assert tokens.status_code == 200, tokens.text
    # The flow cookie is cleared: the challenge page now sends the browser back to sign in.
    again = browser.get(page.action())
    assert again.status_code == 302 and "/login?" in again.headers["Location"]


def test_sms_code_page_and_three_wrong_codes_end_the_sign_in(cognito, server):
    app = mfa_app(cognito, server, "ON", sms=True)
    username = user(cognito, app, phone_number="+15550142299")
    since = len(find_messages(server, pool_id=app.pool_id, purpose="mfa"))
    browser, verifier, page = signed_in_to_challenge(app, username)
    assert "texted" in page.text
    for _ in range(3):
        r = browser.submit(page, code="000000")
        assert r.status_code == 401
        page = Page(r)
    # The session took its three wrong codes: even the right one now leads back to sign in.
    code = code_message(server, since=since, pool_id=app.pool_id, purpose="mfa")["code"]
    last = browser.submit(page, code=code)
    assert last.status_code == 401 and "/login?" in Page(last).action()
    assert "expired" in Page(last).error()


def test_choosing_a_factor_then_answering_it(cognito, server):
    app = mfa_app(cognito, server, "OPTIONAL", sms=True, email=True)
    username = user(cognito, app, phone_number="+15550142298")
    raw_for(cognito).ok("AdminSetUserMFAPreference", {
        "UserPoolId": app.pool_id, "Username": username,
        "SMSMfaSettings": {"Enabled": True}, "EmailMfaSettings": {"Enabled": True}})
    browser, verifier, page = signed_in_to_challenge(app, username)
    assert 'name="mfa_type"' in page.text
    assert "Text message (SMS)" in page.text and "Email" in page.text
    since = len(find_messages(server, pool_id=app.pool_id, purpose="otp"))
    chose = browser.submit(page, mfa_type="EMAIL_OTP")
    assert chose.status_code == 303, chose.text[:500]
    code_page = browser.page(chose)
    assert "emailed" in code_page.text
    code = code_message(server, since=since, pool_id=app.pool_id, purpose="otp")["code"]
    assert exchange(app, code_of(browser.submit(code_page, code=code)), verifier).status_code == 200


def test_invited_user_sets_a_new_password_on_the_page(cognito, server):
    app = oauth_app(cognito, server)
    username = "invited-" + app.domain[-6:]
    cognito.admin_create_user(UserPoolId=app.pool_id, Username=username,
                              TemporaryPassword="Temp-Passw0rd1!", MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "email", "Value": "inv@example.com"}])
    browser = Browser(app)
    verifier, challenge = pkce()
    r = browser.sign_in(username, password="Temp-Passw0rd1!", challenge=challenge)
    page = browser.page(r)
    assert 'name="new_password"' in page.text
    weak = browser.submit(page, new_password="weak")
    assert weak.status_code == 401 and "Password" in Page(weak).error()
    done = browser.submit(Page(weak), new_password="Brand-N3w-Passw0rd!")
    assert exchange(app, code_of(done), verifier).status_code == 200
    user_now = cognito.admin_get_user(UserPoolId=app.pool_id, Username=username)
    assert user_now["UserStatus"] == "CONFIRMED"
    assert Browser(app).sign_in(username, password="Brand-N3w-Passw0rd!",
                                challenge=pkce()[1]).headers["Location"].startswith(CALLBACK)


def test_challenge_page_without_a_sign_in_goes_back_to_sign_in(cognito, server):
    app = oauth_app(cognito, server)
    browser = Browser(app)
    login = browser.page(browser.authorize(pkce()[1]))
    r = browser.get(login.action().replace("/login?", "/challenge?"))
    assert r.status_code == 302 and "/login?" in r.headers["Location"]
    forged = requests.get(app.base + login.action().split(app.pool_id, 1)[1].replace(
        "/login?", "/challenge?"), cookies={"cognate_flow": "v1.AAAA"}, allow_redirects=False)
    assert forged.status_code == 302


def test_sign_up_page_then_a_resent_code_confirms(cognito, server):
    app = oauth_app(cognito, server, pool_kw={"AutoVerifiedAttributes": ["email"]})
    browser = Browser(app)
    verifier, challenge = pkce()
    login = browser.page(browser.authorize(challenge))
    signup = browser.page(browser.get(login.action().replace("/login?", "/signup?")))
    name = "newbie-" + app.domain[-6:]
    taken = browser.submit(signup, username=name, password="short", **{"attr:email": "n@example.com"})
    assert taken.status_code == 400 and "Password" in Page(taken).error()
    assert 'value="n@example.com"' in taken.text  # kept after the error
    created = browser.submit(Page(taken), username=name, password=PASSWORD,
                             **{"attr:email": "n@example.com"})
    assert created.status_code == 303 and "/confirm?" in created.headers["Location"]
    confirm = browser.page(created)
    first = code_message(server, pool_id=app.pool_id, username=name)["code"]
    resent = browser.submit(confirm, index=1)
    assert resent.status_code == 303 and "notice=resent" in resent.headers["Location"]
    confirm = browser.page(resent)
    assert "We sent you a new code." in confirm.text
    second = code_message(server, since=1, pool_id=app.pool_id, username=name)["code"]
    if first != second:
        stale = browser.submit(confirm, code=first)
        assert stale.status_code == 400
        confirm = Page(stale)
    done = browser.submit(confirm, code=second)
    assert done.status_code == 303 and "notice=confirmed" in done.headers["Location"]
    assert cognito.admin_get_user(UserPoolId=app.pool_id, Username=name)["UserStatus"] == "CONFIRMED"
    signed_in = browser.submit(browser.page(done), username=name, password=PASSWORD)
    assert exchange(app, code_of(signed_in), verifier).status_code == 200
