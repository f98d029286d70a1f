"""Fixtures shared by the integration suites.

  server         one cognate process for the whole session (temp data dir, free port)
  start_server   factory for extra servers (restart tests); all are stopped at the end
  raw            RawClient signed with the session server's admin credentials
  cognito        boto3 cognito-idp client for the session server; every 200 response it
                 receives is checked against the model's output shape (after-call hook)
  make_pool      creates a pool (boto3) and returns its id
  shape_model    the ServiceModel used for the shape checks
  smtp_sink, webhook_receiver, delivery_server, delivery_cognito, delivery_cert
                 real message delivery (delivery_fixtures.py)
  trigger_receiver, trigger_pool
                 Lambda triggers delivered to a local receiver (trigger_fixtures.py)

Run with Debian's interpreter: /usr/bin/python3 -m pytest -q tests/integration/python
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cognate_server import CognateServer  # noqa: E402
from helpers import boto_client, unique  # noqa: E402
from rawclient import RawClient  # noqa: E402
from shapes import model  # noqa: E402

pytest_plugins = ["delivery_fixtures", "trigger_fixtures"]


def pytest_report_header(config):
    import boto3
    import botocore
    return [f"python {sys.executable}; boto3 {boto3.__version__}; botocore {botocore.__version__}"]


@pytest.fixture(scope="session")
def shape_model():
    return model()


@pytest.fixture(scope="session")
def server():
    s = CognateServer()
    try:
        s.start()
    except Exception as e:
        s.cleanup()
        pytest.fail(f"cannot start cognate: {e}", pytrace=False)
    yield s
    code, secs = s.stop()
    s.cleanup()


@pytest.fixture(scope="session")
def _extra_servers():
    servers = []
    yield servers
    for s in servers:
        s.cleanup()


@pytest.fixture
def start_server(_extra_servers):
    """start_server(**CognateServer kwargs) -> started CognateServer (stopped at session end).
    Pass start=False to get an unstarted one."""
    def factory(start=True, **kw):
        s = CognateServer(**kw)
        _extra_servers.append(s)
        if start:
            s.start()
        return s
    return factory


@pytest.fixture(scope="session")
def cognito(server):
    return boto_client(server)


@pytest.fixture(scope="session")
def raw(server):
    ak, sk = server.credentials
    return RawClient(server.endpoint, ak, sk)


@pytest.fixture
def make_pool(cognito):
    def make(name=None, **kw):
        r = cognito.create_user_pool(PoolName=name or unique("pool"), **kw)
        return r["UserPool"]["Id"]
    return make
