"""Helpers shared by the integration suites (importable from tests)."""

import json
import uuid

import boto3
from botocore.config import Config

from cognate_server import REGION
from rawclient import RawClient


class ShapeError(AssertionError):
    pass


def attach_shape_check(client):
    """Validate every successful raw response body boto3 receives against the model."""
    def after_call(http_response, parsed, model, **kwargs):
        if http_response is None or http_response.status_code != 200:
            return
        op = model.name
        try:
            body = json.loads(http_response.content or b"{}")
        except ValueError:
            raise ShapeError(f"{op}: success body is not JSON: {http_response.content[:500]!r}")
        from shapes import model as shape_model
        problems = shape_model().check_output(op, body)
        if problems:
            raise ShapeError(f"{op}: response does not match the model:\n  " +
                             "\n  ".join(problems[:20]))
    client.meta.events.register("after-call.cognito-identity-provider", after_call)
    return client


def boto_client(server, access_key=None, secret=None, region=REGION):
    ak, sk = server.credentials
    c = boto3.client(
        "cognito-idp", endpoint_url=server.endpoint, region_name=region,
        aws_access_key_id=access_key or ak, aws_secret_access_key=secret or sk,
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=20))
    return attach_shape_check(c)


def unique(prefix="it"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def list_all_pools(client_or_raw, max_results=60):
    """All pools over all pages, as a list of UserPoolDescription dicts (raw JSON)."""
    out = []
    token = None
    for _ in range(10000):
        body = {"MaxResults": max_results}
        if token:
            body["NextToken"] = token
        if isinstance(client_or_raw, RawClient):
            page = client_or_raw.ok("ListUserPools", body)
        else:
            page = client_or_raw.list_user_pools(**body)
        out.extend(page.get("UserPools", []))
        token = page.get("NextToken")
        if not token:
            return out
    raise AssertionError("ListUserPools never stopped returning NextToken")


def pool_snapshot(raw_client):
    """A comparable snapshot of every pool: (id, name, last-modified) sorted."""
    return sorted((p["Id"], p.get("Name"), p.get("LastModifiedDate"))
                  for p in list_all_pools(raw_client))
