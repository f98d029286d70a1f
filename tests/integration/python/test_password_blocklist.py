"""Common passwords are refused at every password set (issue 8): Debian john-data's list by
default, another with --password-blocklist FILE, none with --password-blocklist none."""

import os

import pytest
from botocore.exceptions import ClientError

from helpers import boto_client, unique
from helpers_users import PASSWORD, make_client, make_pool, tokens

RELAXED = {"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": False,
                              "RequireLowercase": False, "RequireNumbers": False,
                              "RequireSymbols": False}}
JOHN = "/usr/share/john/password.lst"


def refused(fn, **kwargs):
    with pytest.raises(ClientError) as e:
        fn(**kwargs)
    err = e.value.response["Error"]
    assert err["Code"] == "InvalidPasswordException", err
    assert err["Message"] == "Password did not conform with policy: Password is too common"


@pytest.mark.skipif(not os.path.exists(JOHN), reason="john-data is not installed")
def test_john_data_list_guards_every_password_set(cognito):
    pool_id = make_pool(cognito, Policies=RELAXED)
    client_id = make_client(cognito, pool_id)["ClientId"]
    # "password1" and "baseball" are on the list, in any case; the policy alone allows them.
    refused(cognito.sign_up, ClientId=client_id, Username=unique("u"), Password="Password1")
    name = unique("u")
    cognito.sign_up(ClientId=client_id, Username=name, Password="a-long-unlisted-phrase")
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=name)
    refused(cognito.admin_set_user_password, UserPoolId=pool_id, Username=name,
            Password="BASEBALL", Permanent=True)
    refused(cognito.admin_create_user, UserPoolId=pool_id, Username=unique("u"),
            TemporaryPassword="baseball", MessageAction="SUPPRESS")
    access = tokens(cognito, client_id, name, password="a-long-unlisted-phrase")["AccessToken"]
    refused(cognito.change_password, AccessToken=access,
            PreviousPassword="a-long-unlisted-phrase", ProposedPassword="password1")
    # Nothing changed: the old password still signs in.
    tokens(cognito, client_id, name, password="a-long-unlisted-phrase")


def test_a_list_of_ones_own_or_none(start_server, tmp_path):
    listed = tmp_path / "blocklist.txt"
    listed.write_text("#!comment: ours\nCorrect-Horse-42\n")
    own = start_server(extra_args=["--password-blocklist", str(listed)])
    off = start_server(extra_args=["--password-blocklist", "none"])
    for server, blocked in ((own, True), (off, False)):
        c = boto_client(server)
        pool_id = make_pool(c, Policies=RELAXED)
        client_id = make_client(c, pool_id)["ClientId"]
        if blocked:
            refused(c.sign_up, ClientId=client_id, Username=unique("u"),
                    Password="correct-horse-42")
            c.sign_up(ClientId=client_id, Username=unique("u"), Password="password1")
        else:
            c.sign_up(ClientId=client_id, Username=unique("u"), Password="password1")
            c.sign_up(ClientId=client_id, Username=unique("u"), Password=PASSWORD)


def test_an_unreadable_list_stops_start_up(start_server, tmp_path):
    s = start_server(start=False,
                     extra_args=["--password-blocklist", str(tmp_path / "absent.txt")])
    with pytest.raises(Exception):
        s.start(timeout=10)
    assert "password blocklist" in s.log_text()
