"""Several hosts (issue 18): two web hosts (gunicorn) and two worker hosts (Celery), each a
process in its own network namespace (``ip netns`` + veth) with its own temporary directory,
against one PostgreSQL and one Redis (reached through socat forwarders on each veth's root
side), behind nginx spreading requests. Needs root (CI runs as root): it fails, never skips,
without it.

Proven here: a report asked for on one web host is built by a worker and downloaded from the
other web host (nothing on any host's disk: the files are in the database, the sessions too);
a worker host killed mid-build leaves the run to the other worker (acks late + visibility
timeout + the stale heartbeat); X-Forwarded-Proto is believed only from the proxy.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from cme.models import Role, StoredFile
from reports.models import ReportRun, RunStatus
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.integration.workers import BASE_DIR

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 90
TAG = uuid.uuid4().hex[:6]
PG_PORT, REDIS_PORT, WEB_PORT = 15432, 16379, 8000
IP, SOCAT, NGINX = (shutil.which(t) or t for t in ("ip", "socat", "nginx"))


def _sh(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, check=check, capture_output=True, text=True)  # noqa: S603


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Host:
    name: str
    index: int
    folder: Path
    process: subprocess.Popen[bytes] | None = None
    forwarders: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def ns(self) -> str:
        return f"cme{TAG}{self.name}"

    @property
    def root_ip(self) -> str:
        return f"10.218.{self.index}.1"

    @property
    def ip(self) -> str:
        return f"10.218.{self.index}.2"

    def log(self) -> str:
        path = self.folder / "host.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def _make_namespace(host: Host) -> None:
    veth = f"v{TAG}{host.index}"
    _sh("ip", "netns", "add", host.ns)
    _sh("ip", "link", "add", veth, "type", "veth", "peer", "name", f"{veth}p")
    _sh("ip", "link", "set", f"{veth}p", "netns", host.ns)
    _sh("ip", "addr", "add", f"{host.root_ip}/24", "dev", veth)
    _sh("ip", "link", "set", veth, "up")
    _sh("ip", "netns", "exec", host.ns, "ip", "addr", "add", f"{host.ip}/24", "dev", f"{veth}p")
    _sh("ip", "netns", "exec", host.ns, "ip", "link", "set", f"{veth}p", "up")
    _sh("ip", "netns", "exec", host.ns, "ip", "link", "set", "lo", "up")
    # The host's one way out: PostgreSQL and Redis through forwarders on the root side.
    for port, target in ((PG_PORT, 5432), (REDIS_PORT, 6379)):
        host.forwarders.append(
            subprocess.Popen(  # noqa: S603
                [
                    SOCAT,
                    f"TCP-LISTEN:{port},bind={host.root_ip},fork,reuseaddr",
                    f"TCP:127.0.0.1:{target}",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )


def _remove_namespace(host: Host) -> None:
    host.kill()
    for f in host.forwarders:
        f.kill()
        with contextlib.suppress(Exception):
            f.wait(timeout=5)
    _sh("ip", "netns", "pids", host.ns, check=False)
    pids = _sh("ip", "netns", "pids", host.ns, check=False).stdout.split()
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGKILL)
    _sh("ip", "link", "del", f"v{TAG}{host.index}", check=False)
    _sh("ip", "netns", "del", host.ns, check=False)


def _env(host: Host, queue: str) -> dict[str, str]:
    s = connection.settings_dict
    broker_db = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[-1]
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(host.folder),
        "TMPDIR": str(host.folder),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"postgres://{s['USER']}@{host.root_ip}:{PG_PORT}/{s['NAME']}",
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": f"redis://{host.root_ip}:{REDIS_PORT}/{broker_db}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_VISIBILITY_TIMEOUT": "8",
        "CELERY_UNACKED_RESTORE_INTERVAL": "2",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "CME_REPORT_HEARTBEAT_STALE_SECONDS": "6",
        "CME_TEST_SLOW_REPORT_SECONDS": "6",
        # The old report folder, on this host: nothing may be written there.
        "CME_REPORT_STORAGE": str(host.folder / "reports"),
        "DJANGO_SECURE_SSL_REDIRECT": "true",
        "CME_TRUSTED_PROXIES": "10.218.1.1,10.218.2.1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _start(host: Host, argv: list[str], queue: str) -> None:
    log = (host.folder / "host.log").open("w")
    host.process = subprocess.Popen(  # noqa: S603
        [IP, "netns", "exec", host.ns, *argv],
        cwd=BASE_DIR,
        env=_env(host, queue),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _web(host: Host, queue: str) -> None:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    _start(
        host,
        [gunicorn, "config.wsgi", "-c", "gunicorn.conf.py", "-b", f"0.0.0.0:{WEB_PORT}", "-w", "2"],
        queue,
    )


def _worker(host: Host, queue: str) -> None:
    celery = str(Path(sys.executable).with_name("celery"))
    _start(
        host,
        [celery, "-A", "config", "worker", "--pool", "solo", "-l", "info", "-n", f"{host.name}@%h"],
        queue,
    )


def _nginx(folder: Path, port: int, webs: list[Host]) -> subprocess.Popen[bytes]:
    upstreams = "\n".join(f"server {h.ip}:{WEB_PORT} max_fails=1 fail_timeout=2s;" for h in webs)
    conf = folder / "nginx.conf"
    conf.write_text(f"""
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {folder}/body;
  proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi;
  uwsgi_temp_path {folder}/uwsgi;
  scgi_temp_path {folder}/scgi;
  upstream web {{ {upstreams} }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://web;
      proxy_set_header Host localhost;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto https;
      proxy_connect_timeout 2s;
      add_header X-Upstream $upstream_addr always;
    }}
  }}
}}
""")
    return subprocess.Popen(  # noqa: S603
        [NGINX, "-c", str(conf), "-p", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _http(
    url: str,
    *,
    cookies: dict[str, str],
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    try:
        with _opener.open(request, timeout=15) as response:
            status, head, body = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        status, head, body = exc.code, dict(exc.headers), exc.read()
    for value in [v for k, v in head.items() if k.lower() == "set-cookie"]:
        name, _, rest = value.partition("=")
        cookies[name] = rest.split(";", 1)[0]
    return status, head, body


def _wait(what: str, test: Any, hosts: list[Host], timeout: float = TIMEOUT) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = test()
        if result:
            return result
        time.sleep(0.3)
    logs = "\n".join(f"--- {h.name}\n{h.log()[-3000:]}" for h in hosts)
    raise AssertionError(f"{what}: not within {timeout}s\n{logs}")


@pytest.fixture
def hosts(tmp_path: Path) -> Iterator[dict[str, Any]]:
    assert os.geteuid() == 0, (
        "the multi-host test makes network namespaces (ip netns): run it as root, as CI does"
    )
    assert connection.vendor == "postgresql", "the multi-host test needs PostgreSQL (DATABASE_URL)"
    for tool in ("ip", "socat", "nginx"):
        assert shutil.which(tool), f"{tool} is missing: scripts/system-deps.sh installs it"
    queue = f"cme-multihost-{TAG}"
    made: list[Host] = []
    nginx = None
    try:
        for i, name in enumerate(("web1", "web2", "work1", "work2"), start=1):
            host = Host(name, i, tmp_path / name)
            host.folder.mkdir()
            _make_namespace(host)
            made.append(host)
        web1, web2, work1, work2 = made
        for web in (web1, web2):
            _web(web, queue)
        for worker in (work1, work2):
            _worker(worker, queue)
        port = _free_port()
        (tmp_path / "nginx").mkdir()
        nginx = _nginx(tmp_path / "nginx", port, [web1, web2])
        base = f"http://127.0.0.1:{port}"

        def all_up() -> bool:
            seen = set()
            for _ in range(6):
                with contextlib.suppress(OSError):
                    status, head, _ = _http(f"{base}/sign-in/", cookies={})
                    if status == 200:
                        seen.add(head.get("X-Upstream"))
            return len(seen) == 2

        _wait("both web hosts answering through the proxy", all_up, made)
        _wait(
            "both workers ready",
            lambda: all("ready" in w.log() for w in (work1, work2)),
            made,
        )
        yield {"base": base, "web": [web1, web2], "workers": [work1, work2], "all": made}
    finally:
        if nginx is not None:
            nginx.kill()
            nginx.wait(timeout=10)
        for host in made:
            _remove_namespace(host)


def _signed_in_manager() -> dict[str, str]:
    """A session made here and kept in the database: every web host reads it."""
    client = client_for(UserFactory.create(role=Role.MANAGER))
    return {"sessionid": client.cookies["sessionid"].value}


def _ask_for_report(base: str, cookies: dict[str, str]) -> tuple[int, str]:
    status, head, body = _http(f"{base}/reports/", cookies=cookies)
    assert status == 200, body[:500]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token, body[:2000]
    before = set(ReportRun.objects.values_list("pk", flat=True))
    status, head, body = _http(
        f"{base}/reports/",
        cookies=cookies,
        data=f"csrfmiddlewaretoken={token.group(1).decode()}&period=last_month&audience=board".encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": "https://localhost",
            "Referer": "https://localhost/reports/",
        },
    )
    assert status == 302, body[:2000]
    (run_id,) = set(ReportRun.objects.values_list("pk", flat=True)) - before
    return run_id, head["X-Upstream"]


def test_a_report_asked_on_one_web_host_is_built_by_a_worker_and_served_by_the_other(
    hosts: dict[str, Any],
) -> None:
    base = hosts["base"]
    cookies = _signed_in_manager()
    run_id, asked_on = _ask_for_report(base, cookies)
    run = _wait(
        "the report built",
        lambda: ReportRun.objects.filter(pk=run_id, status=RunStatus.READY).first(),
        hosts["all"],
    )
    builders = [w.name for w in hosts["workers"] if f"report run {run_id} ready" in w.log()]
    assert len(builders) == 1, builders
    assert StoredFile.objects.filter(name=run.pdf_file.name).exists()  # in the database

    served_by = asked_on
    for _ in range(6):  # round robin: the next request goes to the other host
        status, head, body = _http(f"{base}/reports/{run_id}/download.pdf", cookies=cookies)
        served_by = head.get("X-Upstream", "")
        if served_by != asked_on:
            break
    assert served_by != asked_on, "the proxy sent every request to one web host"
    assert status == 200, body[:500]
    assert body.startswith(b"%PDF")
    for host in hosts["all"]:  # no host kept a file of its own
        assert not (host.folder / "reports").exists(), host.name


def test_a_worker_host_killed_mid_build_leaves_the_run_to_the_other(
    hosts: dict[str, Any],
) -> None:
    cookies = _signed_in_manager()
    run_id, _ = _ask_for_report(hosts["base"], cookies)
    workers = hosts["workers"]
    # The build sleeps 6 s at 10% (CME_TEST_SLOW_REPORT_SECONDS): kill the host building it.
    _wait(
        "the build started",
        lambda: ReportRun.objects.filter(
            pk=run_id, status=RunStatus.BUILDING, progress=10
        ).exists(),
        hosts["all"],
    )
    (building,) = [w for w in workers if re.search(r"build_report\[.*\] received", w.log())] or [
        w for w in workers if "received" in w.log()
    ]
    other = next(w for w in workers if w is not building)
    building.kill()
    run = _wait(
        "the run built by the other worker",
        lambda: ReportRun.objects.filter(pk=run_id, status=RunStatus.READY).first(),
        hosts["all"],
    )
    assert f"report run {run_id} ready" in other.log()
    assert run.attempts == 2
    status, _, body = _http(f"{hosts['base']}/reports/{run_id}/download.csv", cookies=cookies)
    assert status == 200
    assert body


def test_forwarded_headers_are_believed_only_from_the_proxy(hosts: dict[str, Any]) -> None:
    status, _, _ = _http(f"{hosts['base']}/sign-in/", cookies={})
    assert status == 200  # through the proxy: X-Forwarded-Proto https believed
    web = hosts["web"][0]
    # From inside the web host (not a trusted proxy) the same header is dropped: redirected.
    out = _sh(
        "ip",
        "netns",
        "exec",
        web.ns,
        sys.executable,
        "-c",
        "import urllib.request as u, urllib.error as e\n"
        "class N(u.HTTPRedirectHandler):\n def redirect_request(self,*a,**k): return None\n"
        f"r=u.Request('http://127.0.0.1:{WEB_PORT}/sign-in/',"
        "headers={'X-Forwarded-Proto':'https','Host':'localhost'})\n"
        "try: print(u.build_opener(N).open(r).status)\n"
        "except e.HTTPError as x: print(x.code)",
    )
    assert out.stdout.strip() == "301", (out.stdout, out.stderr)
