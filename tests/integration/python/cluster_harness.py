"""A throwaway cluster for the cluster test: PostgreSQL (scripts/postgres.sh) and Cognate nodes
that share it and one key-encryption key (COGNATE_MASTER_KEY), each with a data directory of its
own; plus a recorder that keeps every failed call with its time, to check afterwards that
failures happened only inside the outage windows."""

import base64
import glob
import os
import secrets
import subprocess
import threading
import time

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from cognate_server import REGION, REPO_ROOT, CognateServer, cognate_bin, random_secret

POSTGRES_SH = str(REPO_ROOT / "scripts" / "postgres.sh")


def postgres_installed():
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


class Postgres:
    def __init__(self, directory):
        self.dir = str(directory)
        self.url = None

    def start(self):
        out = subprocess.run([POSTGRES_SH, "start", self.dir], check=True, capture_output=True,
                             text=True, timeout=120)
        self.url = out.stdout.strip().splitlines()[-1]

    def restart(self, down_seconds):
        subprocess.run([POSTGRES_SH, "restart", self.dir, str(down_seconds)], check=True,
                       capture_output=True, timeout=120)

    def stop(self):
        subprocess.run([POSTGRES_SH, "stop", self.dir], capture_output=True, timeout=120)


class Cluster:
    """`size` nodes over `postgres`, started together (so their migrations race). They share
    --public-url, as nodes behind one load balancer do: it is the tokens' issuer."""

    def __init__(self, base_dir, postgres, size=3):
        self.postgres = postgres
        self.master_key = base64.b64encode(secrets.token_bytes(32)).decode()
        self.public_url = "http://cognate.cluster.test"
        secret = random_secret()
        self.nodes = [
            CognateServer(data_dir=os.path.join(base_dir, f"node{i}"), secret_access_key=secret,
                          extra_args=["--store", postgres.url, "--public-url", self.public_url],
                          extra_env={"COGNATE_MASTER_KEY": self.master_key})
            for i in range(size)]
        self.clients = [self._client(n) for n in self.nodes]

    @staticmethod
    def _client(node):
        ak, sk = node.credentials
        return boto3.client(
            "cognito-idp", endpoint_url=node.endpoint, region_name=REGION,
            aws_access_key_id=ak, aws_secret_access_key=sk,
            config=Config(retries={"total_max_attempts": 1}, connect_timeout=2, read_timeout=20))

    def start(self):
        errors = []

        def start_one(node):
            try:
                node.start()
            except Exception as e:  # reported below, with the node's log
                errors.append(e)
        threads = [threading.Thread(target=start_one, args=(n,)) for n in self.nodes]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]

    def stop(self):
        for n in self.nodes:
            n.stop()

    def rotate_keys(self, pool_id, publish_ahead):
        env = dict(os.environ, COGNATE_MASTER_KEY=self.master_key)
        out = subprocess.run(
            [str(cognate_bin()), "rotate-keys", "--store", self.postgres.url, "--data",
             self.nodes[0].data_dir, "--publish-ahead", str(publish_ahead), pool_id],
            check=True, capture_output=True, text=True, env=env, timeout=60)
        return out.stdout


class Outage(Exception):
    """A call failed the way an unavailable node or database makes it fail."""


class Recorder:
    """Runs calls, keeping every failure: (start, end, node, kind, detail). `outage` failures
    are connection errors and InternalErrorException / 5xx; anything else is a `logical` failure
    and re-raised as the ClientError it is."""

    def __init__(self):
        self.lock = threading.Lock()
        self.failures = []
        self.windows = []  # (start, end, node index or None for every node, what)
        self.calls = 0

    def call(self, node, fn, **kwargs):
        t0 = time.monotonic()
        with self.lock:
            self.calls += 1
        try:
            return fn(**kwargs)
        except ClientError as e:
            status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            code = e.response.get("Error", {}).get("Code", "")
            if code == "InternalErrorException" or status >= 500:
                self._fail(t0, node, "outage", f"{code}: {e}")
                raise Outage(str(e)) from e
            self._fail(t0, node, "logical", f"{code}: {e}")
            raise
        except BotoCoreError as e:  # refused, reset, timed out
            self._fail(t0, node, "outage", repr(e))
            raise Outage(repr(e)) from e

    def _fail(self, t0, node, kind, detail):
        with self.lock:
            self.failures.append((t0, time.monotonic(), node, kind, detail))

    def window(self, node, what):
        """Context manager marking an outage of `node` (None: the database) while it runs."""
        recorder = self

        class _Window:
            def __enter__(self):
                self.start = time.monotonic()

            def __exit__(self, *exc):
                with recorder.lock:
                    recorder.windows.append((self.start, time.monotonic(), node, what))
        return _Window()

    def unexplained(self, grace):
        """Outage failures that overlap no window of their node or of the database (the window
        extended by `grace` seconds either side)."""
        out = []
        for start, end, node, kind, detail in self.failures:
            if kind != "outage":
                continue
            if not any(w_node in (None, node) and start <= w_end + grace and end >= w_start - grace
                       for w_start, w_end, w_node, _ in self.windows):
                out.append((round(start, 3), round(end, 3), node, detail))
        return out
