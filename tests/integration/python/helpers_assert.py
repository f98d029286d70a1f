"""Assertion helpers shared by the suites."""

import json

import pytest
from botocore.exceptions import ClientError


def assert_subset(expected, actual, path="$"):
    """Every member of `expected` is present in `actual` with the same value.
    Dicts: recursive subset. Lists: same length, order-insensitive, each expected element
    matched (as a subset, for objects) by a distinct actual element."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected object {expected!r}, got {actual!r}"
        for k, v in expected.items():
            assert k in actual, f"{path}: member {k!r} missing (have {sorted(actual)})"
            assert_subset(v, actual[k], f"{path}.{k}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected list {expected!r}, got {actual!r}"
        assert len(expected) == len(actual), \
            f"{path}: expected {len(expected)} elements {expected!r}, got {len(actual)}: {actual!r}"
        remaining = list(actual)
        for e in expected:
            for i, a in enumerate(remaining):
                try:
                    assert_subset(e, a, path)
                except AssertionError:
                    continue
                del remaining[i]
                break
            else:
                raise AssertionError(f"{path}: no element matches {e!r} in {actual!r}")
    else:
        assert expected == actual, f"{path}: expected {expected!r}, got {actual!r}"


def client_error(fn, *args, code, status=400, **kwargs):
    """Call a boto3 method expecting a ClientError with `code` (str or set)."""
    codes = {code} if isinstance(code, str) else set(code)
    with pytest.raises(ClientError) as ei:
        fn(*args, **kwargs)
    err = ei.value.response["Error"]
    meta = ei.value.response["ResponseMetadata"]
    assert err["Code"] in codes, f"expected {sorted(codes)}, got {err} {meta.get('HTTPStatusCode')}"
    if status is not None:
        assert meta["HTTPStatusCode"] == status, \
            f"expected HTTP {status} for {err['Code']}, got {meta['HTTPStatusCode']}"
    assert meta.get("RequestId"), f"error {err} has no request id"
    return ei.value


def lambda_error(fn, code, message, **kwargs):
    """client_error, and the message must be exactly `message` (triggers' wording)."""
    e = client_error(fn, code=code, **kwargs)
    assert e.response["Error"]["Message"] == message, e.response["Error"]
    return e


def canon(v):
    return json.dumps(v, sort_keys=True)
