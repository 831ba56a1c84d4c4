"""Real servers for the caching tests: Redis (Debian's redis-server) and nginx with
deploy/nginx.conf, each on a free loopback port, started once and stopped at the end.

`make test` installs both (as root, with apt-get). In CI (CI set) a missing one fails the test
that needs it; elsewhere it is skipped, with the command that installs it.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NGINX_PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing(what: str, package: str):
    """A server a test needs is not installed: the test fails, saying how to install it. Never a
    skip, here or in CI: `make test` installs these as root, as it does Chromium."""
    pytest.fail(
        f"{what} is not installed: apt-get install -y {package} (make test does it as root)"
    )


def wait_for_port(port: int, process: subprocess.Popen, name: str, seconds: float = 15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} stopped at start: {process.stderr.read().decode()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not answer on port {port}")


def stop(process: subprocess.Popen):
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A redis-server of this test process's own, with nothing saved to disk; its URL."""
    exe = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.path.exists(exe):
        missing("redis-server", "redis-server")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [exe, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
        + ["--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wait_for_port(port, process, "redis-server")
    yield f"redis://127.0.0.1:{port}/0"
    stop(process)


def start_nginx(upstream: str) -> tuple[subprocess.Popen, int, int]:
    """nginx with deploy/nginx.conf, through deploy/nginx-local, in front of `upstream`
    (host:port). Returns the process, its public port and its purge port."""
    exe = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(exe):
        missing("nginx", "nginx")
    if not NGINX_PURGE_MODULE.exists():
        missing("nginx's cache purge module", "libnginx-mod-http-cache-purge")
    port, purge = free_port(), free_port()
    # Under /tmp itself, so that nginx's workers (user nobody when started as root) can reach it.
    prefix = tempfile.mkdtemp(prefix="cx-nginx-")
    os.chmod(prefix, 0o755)
    env = {
        **os.environ,
        "CX_NGINX_UPSTREAM": upstream,
        "CX_NGINX_LISTEN": f"127.0.0.1:{port}",
        "CX_NGINX_PURGE_LISTEN": f"127.0.0.1:{purge}",
        "CX_NGINX_PREFIX": prefix,
    }
    process = subprocess.Popen(
        [str(ROOT / "deploy" / "nginx-local")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    process.prefix = prefix  # for the caller to remove once nginx has stopped
    wait_for_port(port, process, "nginx")
    return process, port, purge
