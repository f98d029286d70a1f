"""Fixtures for suites that exercise Lambda triggers (registered in conftest.py).

  trigger_receiver   module: a TriggerReceiver (trigger_receiver.py) that verifies the
                     X-Cognate-Signature of every pool registered with it (answering 401 when
                     it does not verify); other pools' requests are left unchecked
  trigger_pool       function: make(*trigger_names, client=None, server=None, **create_user_pool
                     kwargs) -> pool id whose LambdaConfig points each named trigger at
                     trigger_receiver.url_for(name) (merged into a LambdaConfig you pass), with
                     the pool's secret registered; the receiver is reset (default handlers, no
                     delays, nothing recorded) when the test starts. client/server default to
                     the session server's.

    def test_x(cognito, trigger_pool, trigger_receiver):
        pool_id = trigger_pool("PreSignUp")
        trigger_receiver.handle("PreSignUp", lambda e: {**e, "response": {"autoConfirmUser": True}})

trigger_secret(server, pool_id) runs `cognate trigger-secret` for a server's data directory;
pool_lambda_config(receiver, names) builds the LambdaConfig dict.
"""

import os
import subprocess

import pytest

from cognate_server import cognate_bin
from helpers import unique
from trigger_receiver import TriggerReceiver


def trigger_secret(server, pool_id):
    """The pool's trigger signing secret, from `cognate trigger-secret --data DIR POOL_ID`."""
    env = dict(os.environ)
    env.update(server.extra_env)
    out = subprocess.run([str(cognate_bin()), "trigger-secret", "--data", server.data_dir,
                          pool_id], capture_output=True, text=True, env=env, timeout=30)
    assert out.returncode == 0, f"cognate trigger-secret failed: {out.stderr}"
    return out.stdout.strip()


def pool_lambda_config(receiver, names, base=None):
    config = dict(base or {})
    for name in names:
        config[name] = receiver.url_for(name)
    return config


class PoolSecrets(dict):
    """userPoolId -> secret; called with an event, gives the secret to check it with."""

    def __call__(self, event):
        return self.get(event.get("userPoolId")) if isinstance(event, dict) else None


@pytest.fixture(scope="module")
def trigger_receiver():
    with TriggerReceiver(secret=PoolSecrets()) as rx:
        yield rx


@pytest.fixture
def trigger_pool(request, trigger_receiver):
    trigger_receiver.reset()

    def make(*names, client=None, server=None, LambdaConfig=None, **kw):
        client = client or request.getfixturevalue("cognito")
        server = server or request.getfixturevalue("server")
        kw.setdefault("PoolName", unique("triggers"))
        config = pool_lambda_config(trigger_receiver, names, LambdaConfig)
        pool_id = client.create_user_pool(LambdaConfig=config, **kw)["UserPool"]["Id"]
        trigger_receiver.secret[pool_id] = trigger_secret(server, pool_id)
        return pool_id
    return make
