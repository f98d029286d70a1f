"""Cognito's user import jobs through boto3: GetCSVHeader, CreateUserImportJob, the upload of
the CSV file to the job's PreSignedUrl (served by Cognate), StartUserImportJob, polling
DescribeUserImportJob, ListUserImportJobs, StopUserImportJob; imported users are
RESET_REQUIRED and finish with ForgotPassword / ConfirmForgotPassword; bad rows, bad headers,
forged and replayed uploads are refused."""

import csv
import io
import time
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

from helpers import boto_client
from helpers_users import code_message, make_client, make_pool

ROLE = "arn:aws:iam::000000000000:role/CognitoImport"


def put(url, body, headers=None):
    request = urllib.request.Request(url, data=body, method="PUT",
                                     headers={"Content-Type": "text/csv", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (urllib.error.URLError, ConnectionError):
        return 0, b""  # cut off while sending: the server refused the body early


def csv_text(header, rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in header})
    return out.getvalue().encode()


def wait_done(cognito, pool_id, job_id, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        job = cognito.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]
        if job["Status"] in ("Succeeded", "Failed", "Stopped") or time.monotonic() > deadline:
            return job
        time.sleep(0.1)


def new_job(cognito, pool_id, name="import-test"):
    return cognito.create_user_import_job(UserPoolId=pool_id, JobName=name,
                                          CloudWatchLogsRoleArn=ROLE)["UserImportJob"]


@pytest.fixture
def pool(cognito):
    pool_id = make_pool(cognito, AutoVerifiedAttributes=["email"],
                        Schema=[{"Name": "team", "AttributeDataType": "String", "Mutable": True}])
    return pool_id, make_client(cognito, pool_id)["ClientId"]


def test_csv_import_from_header_to_signed_in_user(cognito, server, pool):
    pool_id, client_id = pool
    header = cognito.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
    assert header[-2:] == ["cognito:mfa_enabled", "cognito:username"]
    assert "email" in header and "custom:team" in header and "sub" not in header

    job = new_job(cognito, pool_id)
    assert job["Status"] == "Created" and job["JobId"].startswith("import-")
    assert job["PreSignedUrl"].startswith(server.endpoint + "/user-import/")
    rows = [{"cognito:username": f"imported{i}", "email": f"imported{i}@example.com",
             "email_verified": "true", "cognito:mfa_enabled": "false",
             "given_name": f"Name, with \"quotes\" {i}", "custom:team": "blue"} for i in range(5)]
    rows.append({"cognito:username": "no-contact", "cognito:mfa_enabled": "false"})
    rows.append({"cognito:username": "bad-email", "email": "nope", "email_verified": "true",
                 "cognito:mfa_enabled": "false"})
    status, _ = put(job["PreSignedUrl"], csv_text(header, rows),
                    {"x-amz-server-side-encryption": "aws:kms"})
    assert status == 200
    # One upload per job.
    assert put(job["PreSignedUrl"], csv_text(header, rows))[0] == 400

    started = cognito.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    assert started["UserImportJob"]["Status"] in ("InProgress", "Succeeded")
    done = wait_done(cognito, pool_id, job["JobId"])
    assert done["Status"] == "Succeeded", done
    assert (done["ImportedUsers"], done["SkippedUsers"], done["FailedUsers"]) == (5, 0, 2)
    assert done["CompletionDate"] >= done["StartDate"]

    user = cognito.admin_get_user(UserPoolId=pool_id, Username="imported3")
    assert user["UserStatus"] == "RESET_REQUIRED"
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["given_name"] == 'Name, with "quotes" 3'
    assert attributes["custom:team"] == "blue"
    with pytest.raises(ClientError) as e:
        cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "imported3", "PASSWORD": "Whatever-1!"})
    assert e.value.response["Error"]["Code"] == "PasswordResetRequiredException"
    cognito.forgot_password(ClientId=client_id, Username="imported3")
    code = code_message(server, pool_id=pool_id, username="imported3", purpose="forgot-password")
    cognito.confirm_forgot_password(ClientId=client_id, Username="imported3",
                                    ConfirmationCode=code["code"], Password="New-Passw0rd!")
    tokens = cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": "imported3",
                                                   "PASSWORD": "New-Passw0rd!"})
    assert "AuthenticationResult" in tokens

    # The same file again: everyone is skipped. Jobs are listed with paging.
    again = new_job(cognito, pool_id, "again")
    assert put(again["PreSignedUrl"], csv_text(header, rows[:5]))[0] == 200
    cognito.start_user_import_job(UserPoolId=pool_id, JobId=again["JobId"])
    second = wait_done(cognito, pool_id, again["JobId"])
    assert (second["ImportedUsers"], second["SkippedUsers"]) == (0, 5)
    first_page = cognito.list_user_import_jobs(UserPoolId=pool_id, MaxResults=1)
    assert len(first_page["UserImportJobs"]) == 1
    rest = cognito.list_user_import_jobs(UserPoolId=pool_id, MaxResults=10,
                                         PaginationToken=first_page["PaginationToken"])
    ids = {j["JobId"] for j in first_page["UserImportJobs"] + rest["UserImportJobs"]}
    assert ids == {job["JobId"], again["JobId"]}


def test_refusals(cognito, server, pool):
    pool_id, _ = pool
    header = cognito.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
    job = new_job(cognito, pool_id)
    url = job["PreSignedUrl"]
    # Starting before the upload; a forged or altered URL; the wrong method.
    with pytest.raises(ClientError) as e:
        cognito.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    assert e.value.response["Error"]["Code"] == "PreconditionNotMetException"
    forged = url[:-4] + ("AAAA" if not url.endswith("AAAA") else "BBBB")
    assert put(forged, b"x")[0] == 403
    other_job = url.replace(job["JobId"], "import-somethingelse")
    assert put(other_job, b"x")[0] == 403
    later = url.replace("expires=", "expires=9")
    assert put(later, b"x")[0] == 403
    # A body over the default 1 MiB limit is refused before it is read unless the URL is live
    # (413, or the connection closed while the client still sends).
    big = b"a" * (2 * 1024 * 1024)
    assert put(forged, big)[0] in (0, 413)
    # A header missing columns fails the job with a message.
    assert put(url, b"cognito:username,email\r\nx,x@example.com\r\n")[0] == 200
    cognito.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    failed = wait_done(cognito, pool_id, job["JobId"])
    assert failed["Status"] == "Failed" and "lacks the column" in failed["CompletionMessage"]
    with pytest.raises(ClientError) as e:
        cognito.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    assert e.value.response["Error"]["Code"] == "PreconditionNotMetException"
    with pytest.raises(ClientError) as e:
        cognito.stop_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    assert e.value.response["Error"]["Code"] == "PreconditionNotMetException"
    with pytest.raises(ClientError) as e:
        cognito.describe_user_import_job(UserPoolId=pool_id, JobId="import-nosuchjob")
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    # A large file (over the default body limit) uploads to a live URL.
    big_job = new_job(cognito, pool_id, "big")
    rows = [{"cognito:username": f"bulk{i:06d}", "email": f"bulk{i}@example.com",
             "email_verified": "true", "cognito:mfa_enabled": "false",
             "address": "x" * 200} for i in range(6000)]
    body = csv_text(header, rows)
    assert len(body) > 1024 * 1024
    assert put(big_job["PreSignedUrl"], body)[0] == 200
    cognito.start_user_import_job(UserPoolId=pool_id, JobId=big_job["JobId"])
    # Stopped part-way (or finished, on a fast machine): either way the counts add up.
    try:
        cognito.stop_user_import_job(UserPoolId=pool_id, JobId=big_job["JobId"])
    except ClientError as e:
        assert e.response["Error"]["Code"] == "PreconditionNotMetException"
    done = wait_done(cognito, pool_id, big_job["JobId"], seconds=120)
    assert done["Status"] in ("Stopped", "Succeeded"), done
    assert done["ImportedUsers"] + done["FailedUsers"] + done["SkippedUsers"] <= 6000
    if done["Status"] == "Stopped":
        assert done["ImportedUsers"] < 6000
