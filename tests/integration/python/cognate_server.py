"""Starting and stopping the real `cognate` binary for integration tests.

A CognateServer owns one child process: `cognate serve --data <dir> --listen 127.0.0.1:<port>
--region us-east-1`, its log file, and the admin SigV4 credentials it accepts (either passed in
through COGNATE_ADMIN_ACCESS_KEY_ID / COGNATE_ADMIN_SECRET_ACCESS_KEY, or read back from the
<data>/admin-credentials file the server writes on its first start).
"""

import json
import os
import secrets
import signal
import socket
import string
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_BIN = REPO_ROOT / "build" / "cognate"
MODEL_PATH = REPO_ROOT / "src" / "api" / "cognito" / "model" / "cognito-idp.json"
REGION = "us-east-1"
TEST_ACCESS_KEY_ID = "AKIDCOGNATETEST000001"


def cognate_bin():
    return Path(os.environ.get("COGNATE_BIN", str(DEFAULT_BIN)))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def random_secret(length=40):
    alphabet = string.ascii_letters + string.digits + "+/"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def parse_admin_credentials(text):
    """Returns (access_key_id, secret) from the admin-credentials file.

    Accepts a JSON object or KEY=VALUE lines (optionally `export KEY=VALUE`, quoted values).
    The key names are matched loosely: one containing "secret" is the secret, one containing
    "access" (or "key_id"/"keyid") and not "secret" is the access key id.
    """
    pairs = {}
    stripped = text.strip()
    if stripped.startswith("{"):
        obj = json.loads(stripped)

        def walk(o):
            for k, v in o.items():
                if isinstance(v, dict):
                    walk(v)
                elif isinstance(v, str):
                    pairs[k] = v
        walk(obj)
    else:
        for line in stripped.splitlines():
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            if line.startswith("export "):
                line = line[len("export "):]
            k, _, v = line.partition("=")
            pairs[k.strip()] = v.strip().strip("'\"")
    access = secret = None
    for k, v in pairs.items():
        norm = k.lower().replace("-", "_")
        if "secret" in norm:
            secret = secret or v
        elif "access" in norm or "key_id" in norm or "keyid" in norm:
            access = access or v
    if not access or not secret:
        raise ValueError(f"cannot find access key id and secret in admin-credentials: {text!r}")
    return access, secret


class ServerError(Exception):
    pass


class CognateServer:
    """One running cognate process.

    data_dir: existing or new directory for --data (a fresh temp dir when None).
    env_credentials: when True, pass COGNATE_ADMIN_* env vars (the given or a random secret);
    when False, the server generates credentials and we read <data>/admin-credentials.
    """

    def __init__(self, data_dir=None, port=None, env_credentials=True,
                 access_key_id=TEST_ACCESS_KEY_ID, secret_access_key=None,
                 extra_args=(), extra_env=None):
        self.binary = cognate_bin()
        self._own_tmp = None
        if data_dir is None:
            self._own_tmp = tempfile.mkdtemp(prefix="cognate-it-")
            data_dir = os.path.join(self._own_tmp, "data")
        self.data_dir = str(data_dir)
        os.makedirs(self.data_dir, exist_ok=True)
        self.port = port or free_port()
        self.env_credentials = env_credentials
        self.access_key_id = access_key_id if env_credentials else None
        self.secret_access_key = (secret_access_key or random_secret()) if env_credentials else None
        self.extra_args = list(extra_args)
        self.extra_env = dict(extra_env or {})
        self.proc = None
        self.log_path = os.path.join(os.path.dirname(os.path.abspath(self.data_dir)),
                                     f"cognate-{os.path.basename(self.data_dir)}-{self.port}.log")
        self._log = None
        self.starts = 0

    # ---- properties -------------------------------------------------------------------------
    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def credentials(self):
        return self.access_key_id, self.secret_access_key

    def log_text(self):
        try:
            with open(self.log_path, "r", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def log_tail(self, n=60):
        return "\n".join(self.log_text().splitlines()[-n:])

    # ---- lifecycle ---------------------------------------------------------------------------
    def start(self, timeout=30.0, port=None):
        if port is not None:
            self.port = port
        if not self.binary.exists():
            raise ServerError(f"cognate binary not found at {self.binary} (set COGNATE_BIN)")
        env = dict(os.environ)
        env.pop("COGNATE_ADMIN_ACCESS_KEY_ID", None)
        env.pop("COGNATE_ADMIN_SECRET_ACCESS_KEY", None)
        if self.env_credentials:
            env["COGNATE_ADMIN_ACCESS_KEY_ID"] = self.access_key_id
            env["COGNATE_ADMIN_SECRET_ACCESS_KEY"] = self.secret_access_key
        env.update(self.extra_env)
        args = [str(self.binary), "serve", "--data", self.data_dir,
                "--listen", f"127.0.0.1:{self.port}", "--region", REGION, *self.extra_args]
        self._log = open(self.log_path, "ab")
        self._log.write(f"\n==== start #{self.starts + 1}: {' '.join(args)}\n".encode())
        self._log.flush()
        self.proc = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=env)
        self.starts += 1
        self.wait_ready(timeout)
        if not self.env_credentials:
            self.load_credentials_file()
        return self

    def wait_ready(self, timeout=30.0):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerError(f"cognate exited with {self.proc.returncode} before becoming "
                                  f"ready; log:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.endpoint + "/health", timeout=2) as r:
                    if r.status == 200:
                        return
                    last = f"status {r.status}"
            except urllib.error.HTTPError as e:
                last = f"status {e.code}"
            except (OSError, urllib.error.URLError) as e:
                last = repr(e)
            time.sleep(0.1)
        self.kill()
        raise ServerError(f"cognate did not answer GET /health with 200 within {timeout}s "
                          f"(last: {last}); log:\n{self.log_tail()}")

    def load_credentials_file(self):
        path = os.path.join(self.data_dir, "admin-credentials")
        with open(path) as f:
            self.access_key_id, self.secret_access_key = parse_admin_credentials(f.read())

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=10.0):
        """SIGTERM and wait. Returns (exit code, seconds taken); SIGKILLs after `timeout`."""
        if self.proc is None:
            return None, 0.0
        t0 = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
                self._close_log()
                return "timeout", time.monotonic() - t0
        self._close_log()
        return self.proc.returncode, time.monotonic() - t0

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self._close_log()

    def _close_log(self):
        if self._log is not None:
            self._log.close()
            self._log = None

    def cleanup(self):
        self.kill()
        if self._own_tmp and not os.environ.get("COGNATE_KEEP_DATA"):
            import shutil
            shutil.rmtree(self._own_tmp, ignore_errors=True)
