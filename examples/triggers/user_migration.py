"""UserMigration: move users from an older system into the pool the first time they sign in.

    python3 examples/triggers/user_migration.py --port 9404 --secret HEX

The "legacy database" is the dict below, with PBKDF2-SHA256 password hashes (the demo users'
passwords: alice / Legacy-Passw0rd1 and bob / 0ld-Secret-2019!). A user is found by username
or by email address.

- UserMigration_Authentication (USER_PASSWORD_AUTH or ADMIN_USER_PASSWORD_AUTH with a name the
  pool does not know): the password is checked against the old hash; when it matches, the
  answer's userAttributes create the user, CONFIRMED, with that password, and the sign-in goes
  on. SRP sign-ins never reach this trigger: the server does not see the password.
- UserMigration_ForgotPassword (ForgotPassword for an unknown name): the user is created
  without a password and the reset code goes to its verified email.

An unknown user or a wrong password answers an empty response, so the client sees the error it
gets for any unknown user (UserNotFoundException, or "Incorrect username or password." with
PreventUserExistenceErrors), and the legacy database cannot be probed through this trigger.
"""

import base64
import hashlib
import hmac

import lambda_http

LEGACY_USERS = {
    "alice": {
        "password": "pbkdf2_sha256$210000$6XlJkVEPympXjBhTNejfFw==$"
                    "dbc4UgZz0y1gPRPhGWmDTiuVCDrXIaiX7TuIAGfnVCM=",
        "email": "alice@example.com", "name": "Alice Liddell",
    },
    "bob": {
        "password": "pbkdf2_sha256$210000$IYWMk3X36keoEBuzRDHWbw==$"
                    "OCMy5a/civVN5VY1Yk31dxodoN4tHiNrDLX9jTEToLY=",
        "email": "bob@example.com", "name": "Bob Builder",
    },
}
# Checked when the user is unknown, so that both cases take as long.
_DUMMY_HASH = LEGACY_USERS["alice"]["password"]


def password_matches(password, stored):
    algorithm, iterations, salt, expected = stored.split("$")
    assert algorithm == "pbkdf2_sha256"
    derived = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt),
                                  int(iterations))
    return hmac.compare_digest(derived, base64.b64decode(expected))


def find_legacy_user(name):
    name = name.strip().lower()
    if name in LEGACY_USERS:
        return LEGACY_USERS[name]
    return next((u for u in LEGACY_USERS.values() if u["email"] == name), None)


def migrated_attributes(user):
    # email_verified: the old system confirmed the address, so codes may go to it.
    return {"email": user["email"], "email_verified": "true", "name": user["name"]}


def handler(event, context):
    user = find_legacy_user(event["userName"])
    if event["triggerSource"] == "UserMigration_Authentication":
        password = event["request"]["password"]
        if not password_matches(password, user["password"] if user else _DUMMY_HASH) or not user:
            return event  # empty response: "no such user"
        event["response"].update(userAttributes=migrated_attributes(user),
                                  finalUserStatus="CONFIRMED", messageAction="SUPPRESS")
    elif event["triggerSource"] == "UserMigration_ForgotPassword" and user:
        event["response"].update(userAttributes=migrated_attributes(user),
                                  messageAction="SUPPRESS")
    return event


if __name__ == "__main__":
    lambda_http.main(handler, description=__doc__.splitlines()[0])
