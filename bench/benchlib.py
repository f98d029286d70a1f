"""Shared pieces of Cognate's benchmarks: starting a server, waiting for it, driving it with wrk
(a C load generator) from a Lua script, reading the figures wrk prints, and peak memory."""
import os
import re
import socket
import subprocess
import time
import urllib.request

TARGET = "AWSCognitoIdentityProviderService."
REGION = "us-east-1"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, proc, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # any HTTP answer means it is up
        except OSError:
            time.sleep(0.005)  # short: start-up times are measured through this wait
    proc.kill()
    raise SystemExit(f"server did not answer {url}")


def start_cognate(binary, data_dir, port, key_id, secret, extra_args=()):
    env = dict(os.environ, COGNATE_ADMIN_ACCESS_KEY_ID=key_id,
               COGNATE_ADMIN_SECRET_ACCESS_KEY=secret)
    proc = subprocess.Popen([binary, "serve", "--data", data_dir, "--listen",
                             f"127.0.0.1:{port}", *extra_args],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(f"http://127.0.0.1:{port}/health", proc)
    return proc


def add_client_credentials(api, pool_id, domain):
    """A domain, a resource server "api" with scope read, and a client-credentials client with a
    secret (for the OAuth token endpoint); returns the client as CreateUserPoolClient does."""
    api.create_user_pool_domain(UserPoolId=pool_id, Domain=domain)
    api.create_resource_server(UserPoolId=pool_id, Identifier="api", Name="API",
                               Scopes=[{"ScopeName": "read", "ScopeDescription": "read"}])
    return api.create_user_pool_client(
        UserPoolId=pool_id, ClientName="m2m", GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["api/read"])["UserPoolClient"]


def lua_string(s):
    return "[==[" + s + "]==]"


def write_wrk_script(path, action, bodies, headers=None):
    """A script that POSTs `bodies` in turn (each wrk thread cycles through all of them)."""
    with open(path, "w") as f:
        f.write('wrk.method = "POST"\n')
        f.write('wrk.headers["Content-Type"] = "application/x-amz-json-1.1"\n')
        f.write(f'wrk.headers["X-Amz-Target"] = "{TARGET}{action}"\n')
        for k, v in (headers or {}).items():
            if k.lower() not in ("host", "content-length", "content-type", "x-amz-target"):
                f.write(f'wrk.headers["{k}"] = {lua_string(v)}\n')
        f.write("local bodies = {\n")
        for b in bodies:
            f.write("  " + lua_string(b) + ",\n")
        f.write("}\nlocal i = 0\n")
        f.write("request = function()\n  i = i % #bodies + 1\n"
                "  return wrk.format(nil, nil, nil, bodies[i])\nend\n")


def _ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def write_wrk_request(path, method, target_headers, body=""):
    """A script that sends one fixed request (`method`, headers, body) over and over."""
    with open(path, "w") as f:
        f.write(f'wrk.method = "{method}"\n')
        for k, v in target_headers.items():
            f.write(f'wrk.headers["{k}"] = {lua_string(v)}\n')
        if body:
            f.write(f"wrk.body = {lua_string(body)}\n")


def run_wrk(endpoint, script, connections, duration, timeout_s=30, path="/"):
    threads = 1 if connections == 1 else 2
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
                          "--timeout", f"{timeout_s}s", "--latency", "-s", script, endpoint + path],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
    max_ms = _ms(re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "max_ms": max_ms, "requests": requests,
            "errors": errors}


def peak_rss_mib(pid):
    text = open(f"/proc/{pid}/status").read()
    return int(re.search(r"VmHWM:\s+(\d+)", text).group(1)) / 1024


def machine_line():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), "unknown CPU")
    return f"{os.cpu_count()} cores ({cpu})"


def section_text(path, heading):
    """The current body of the section that starts with `heading` ("" if there is none)."""
    text = open(path).read() if os.path.exists(path) else ""
    start = text.find(heading)
    if start < 0:
        return ""
    nxt = text.find("\n## ", start + len(heading))
    return text[start + len(heading):nxt if nxt >= 0 else len(text)]


def replace_section(path, heading, body, at_top=False):
    """Replaces the markdown section that starts with `heading` in `path`; a new one is appended,
    or with `at_top` inserted right after the title line."""
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    start = text.find(heading)
    section = heading + "\n\n" + body.strip() + "\n\n"
    if start < 0 and at_top:
        title_end = text.find("\n") + 1 if text.startswith("# ") else 0
        text = text[:title_end] + "\n" + section + text[title_end:].lstrip("\n")
    elif start < 0:
        text = text.rstrip() + "\n\n" + section
    else:
        nxt = text.find("\n## ", start + len(heading))
        text = text[:start] + section + (text[nxt + 1:] if nxt >= 0 else "")
    with open(path, "w") as f:
        f.write(text.rstrip() + "\n")
