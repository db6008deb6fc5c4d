"""Several hosts (issue 18): two web hosts (gunicorn) and two worker hosts (Celery), each a
process in its own network namespace (``ip netns`` + veth) with its own temporary directory,
against one PostgreSQL and one Redis (reached through socat forwarders on each veth's root
side), behind nginx spreading requests. Needs root (CI runs as root): it fails, never skips,
without it.

Proven here: a report asked for on one web host is built by a worker and downloaded from the
other web host (nothing on any host's disk: the files are in the database, the sessions too);
a worker host killed mid-build leaves the run to the other worker (acks late + visibility
timeout + the stale heartbeat); a web host killed under load (school staff sending returns,
the public sending referrals, each form with its submission token, sent again when no
answer comes and sometimes twice at once) loses and doubles no submission, the proxy
serving on through the other; of two beat processes only the lease holder sends the
schedule, and the other takes over within the lease when it is killed; X-Forwarded-Proto is
believed only from the proxy.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
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
BEAT_LEASE = 4  # seconds (CME_BEAT_LEASE_SECONDS): a stopped beat's lease lapses this soon
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


def _pg_port() -> int:
    return int(connection.settings_dict.get("PORT") or 5432)


def _broker_port() -> int:
    """The broker's port on the root side: the one this run's CELERY_BROKER_URL names (the
    probe reads the queue there directly)."""
    url = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    return urllib.parse.urlsplit(url).port or 6379


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
    for port, target in ((PG_PORT, _pg_port()), (REDIS_PORT, _broker_port())):
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
        # The load test sends many public referrals from one address (the proxy's client).
        "CME_PUBLIC_REFERRAL_RATE": "100000/h",
        "CME_BEAT_LEASE_SECONDS": str(BEAT_LEASE),
        "CME_BEAT_RETRY_SECONDS": "1",
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
#: What a browser sends with a form, through the proxy (Django's CSRF checks the origin).
FORM = {
    "Content-Type": "application/x-www-form-urlencoded",
    "Origin": "https://localhost",
    "Referer": "https://localhost/",
}


def _field(page: bytes, name: str) -> str:
    """The value of the form field ``name`` on ``page`` (a hidden input)."""
    found = re.search(rb'name="' + name.encode() + rb'" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1).decode()


def _form(**fields: Any) -> bytes:
    return urllib.parse.urlencode(fields, doseq=True).encode()


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
        yield {
            "base": base,
            "web": [web1, web2],
            "workers": [work1, work2],
            "all": made,
            "queue": queue,
        }
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
    # The page's CSRF and one-time submission tokens, with the report asked for.
    fields = {name: _field(body, name) for name in ("csrfmiddlewaretoken", "submission_token")}
    fields |= {"period": "last_month", "audience": "board"}
    before = set(ReportRun.objects.values_list("pk", flat=True))
    status, head, body = _http(
        f"{base}/reports/", cookies=cookies, data=_form(**fields), headers=FORM
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


# ------------------------------------------------------- a web host killed under load


@dataclass
class Answer:
    at: float
    method: str
    path: str
    status: int  # 0: no answer at all (the connection was cut)
    upstream: str


@dataclass(frozen=True)
class Door:
    """A form, its check page and its receipt: how a submission is sent."""

    start: str
    check: str
    sent: str  # the receipt's path: this, then the reference
    answers: dict[str, Any]


class Browser:
    """One person's browser on the proxy: its own cookies, every request and answer noted.

    It sends a form as a person does: again when no answer comes (the proxy's 502, a cut
    connection), and sometimes twice at once (a double click), each time with the form's own
    submission token."""

    def __init__(self, base: str, cookies: dict[str, str]) -> None:
        self.base, self.cookies = base, cookies
        self.answers: list[Answer] = []
        self.sent: list[tuple[str, str, str]] = []  # (door's start, token, reference)
        self.tokens: set[str] = set()  # every token it posted
        self.finished: list[float] = []  # when each submission's receipt came
        self.posting: list[float] = []  # when each form now on its way was sent

    def request(self, path: str, fields: dict[str, Any] | None = None) -> tuple[int, str, bytes]:
        """One request: the status (0 if none came), the Location and the page."""
        data = None if fields is None else _form(**fields)
        sent_at = time.monotonic()
        if data is not None:
            self.posting.append(sent_at)
        try:
            status, head, body = _http(
                self.base + path, cookies=self.cookies, data=data, headers=FORM if data else None
            )
        except (OSError, http.client.HTTPException):
            status, head, body = 0, {}, b""
        finally:
            if data is not None:
                self.posting.remove(sent_at)
        method = "GET" if data is None else "POST"
        self.answers.append(
            Answer(time.monotonic(), method, path, status, head.get("X-Upstream", ""))
        )
        return status, head.get("Location", ""), body

    def until_answered(
        self, path: str, fields: dict[str, Any] | None = None
    ) -> tuple[int, str, bytes]:
        for _ in range(60):
            status, location, body = self.request(path, fields)
            if 0 < status < 500:
                return status, location, body
            time.sleep(0.2)  # a person waits a moment and tries again
        raise AssertionError(f"{path}: no answer in 60 tries")

    def submit(self, door: Door, *, double_click: bool) -> None:
        status, _, page = self.until_answered(door.start)
        assert status == 200, page[:2000]
        csrf = _field(page, "csrfmiddlewaretoken")
        token = ""
        while True:
            status, location, page = self.until_answered(
                door.start, {**door.answers, "csrfmiddlewaretoken": csrf}
            )
            assert (status, location) == (302, door.check), page[:2000]
            if not token:
                status, location, page = self.until_answered(door.check)
                if status == 302:  # the draft was lost with the host that kept it
                    continue
                assert status == 200, page[:2000]
                token = _field(page, "submission_token")
            fields = {"csrfmiddlewaretoken": csrf, "submission_token": token}
            self.tokens.add(token)
            answers: list[tuple[int, str, bytes]] = []

            def click() -> None:
                answers.append(self.until_answered(door.check, fields))  # noqa: B023

            clicks = [threading.Thread(target=click) for _ in range(2 if double_click else 1)]
            for thread in clicks:
                thread.start()
            for thread in clicks:
                thread.join(timeout=60)
            assert len(answers) == len(clicks), "a send got no answer"
            receipts = {loc for status, loc, _ in answers if loc.startswith(door.sent)}
            if receipts:
                assert len(receipts) == 1, receipts  # a double click: one receipt for both
                (receipt,) = receipts
                reference = receipt.removeprefix(door.sent).split("/")[0]
                self.sent.append((door.start, token, reference))
                self.finished.append(time.monotonic())
                return
            # The draft was lost with the host (its session not saved): the form again,
            # sent with the same token.
            assert {(status, loc) for status, loc, _ in answers} == {(302, door.start)}, answers


def _doors(today: date) -> tuple[Door, Door, Door]:
    from schools.models import School
    from tests.forms import day
    from tests.referrals.helpers import public_post
    from tests.schools.test_joiner_return import joiner_post
    from tests.schools.test_leaver_return import leaver_post

    cedar = School.objects.get(urn=100010)

    def school_door(kind: str, answers: dict[str, Any]) -> Door:
        start = f"/school/returns/new/{kind}/"
        return Door(start, f"{start}check/", "/school/returns/", answers)

    joiner = school_door("joiner", joiner_post(**day("admission_date", today - timedelta(1))))
    leaver = school_door(
        "leaver",
        leaver_post(
            **day("ground_met_date", today - timedelta(3)),
            **day("deletion_date", today),
            **day("start_date_in_area", today),
            destination_school=str(cedar.pk),
        ),
    )
    public = Door(
        "/referral/",
        "/referral/check/",
        "/referral/sent/",
        public_post(**day("date_last_attended", today - timedelta(10))),
    )
    return joiner, leaver, public


def _established(host: Host) -> int:
    """How many requests the proxy has open on ``host`` now (nginx keeps no idle ones)."""
    out = _sh("ip", "netns", "exec", host.ns, "ss", "-tnH", "state", "established", check=False)
    return sum(f":{WEB_PORT} " in line for line in out.stdout.splitlines())


def _people(base: str, per_door: int) -> list[tuple[Door, Browser]]:
    """School staff sending joiner and leaver returns (each signed in, in their own browser)
    and members of the public sending referrals: ``per_door`` of each."""
    from tests.factories import MembershipFactory, SchoolFactory, TermFactory

    today = date.today()
    alder = SchoolFactory.create(urn=100001, name="Alder Primary School")
    SchoolFactory.create(urn=100010, name="Cedar Primary School")
    TermFactory.create(name="This term", start=today - timedelta(60), end=today + timedelta(60))
    joiner, leaver, public = _doors(today)

    def staff() -> dict[str, str]:
        user = UserFactory.create(role=Role.SCHOOL_STAFF)
        MembershipFactory.create(user=user, school=alder)
        return {"sessionid": client_for(user).cookies["sessionid"].value}

    return [
        (door, Browser(base, staff() if door is not public else {}))
        for door in (joiner, leaver, public) * per_door
    ]


def _stored_submissions() -> dict[str, str]:
    """Every return and public referral in the database: its submission token's reference."""
    from referrals.models import Channel, Referral
    from schools.models import SchoolReturn

    assert not SchoolReturn.objects.filter(submission_token__isnull=True).exists()
    returns = SchoolReturn.objects.values_list("submission_token", "reference")
    referrals = Referral.objects.filter(channel=Channel.PUBLIC).values_list(
        "submission_token", "reference"
    )
    stored = [(str(token), reference) for token, reference in [*returns, *referrals]]
    assert len(stored) == len(dict(stored))
    return dict(stored)


def test_a_web_host_killed_under_load_loses_and_doubles_no_submission(
    hosts: dict[str, Any],
) -> None:
    people = _people(hosts["base"], per_door=3)
    browsers = [browser for _, browser in people]
    killed_at: list[float] = []
    after_kill = 3  # submissions each browser completes after the kill
    errors: list[BaseException] = []

    def person(door: Door, browser: Browser) -> None:
        try:
            n = 0
            while not killed_at or sum(t > killed_at[0] for t in browser.finished) < after_kill:
                browser.submit(door, double_click=n % 2 == 1)
                n += 1
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=person, args=person_door) for person_door in people]
    for thread in threads:
        thread.start()
    web1, web2 = hosts["web"]
    # Under load (every browser has sent some), the first web host hangs, then dies: frozen
    # (SIGSTOP) until a form has waited on it a second, so that the kill certainly cuts
    # submissions on their way (a moment's load has none in flight on it now and then).
    _wait(
        "load on both web hosts",
        lambda: all(b.sent for b in browsers) and _established(web1) >= 1,
        hosts["all"],
        timeout=60,
    )
    assert web1.process is not None
    os.killpg(web1.process.pid, signal.SIGSTOP)
    _wait(
        "a form waiting on the frozen host",
        lambda: any(time.monotonic() - t > 1 for b in browsers for t in list(b.posting)),
        hosts["all"],
        timeout=30,
    )
    web1.kill()
    killed_at.append(time.monotonic())
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)

    sent = [s for b in browsers for s in b.sent]
    tokens = {token for b in browsers for token in b.tokens}
    # Every submission sent is there once, with the reference its sender was shown: none
    # lost, none twice.
    assert len(sent) == len(tokens)
    assert {token: reference for _, token, reference in sent} == _stored_submissions()
    per_door = {start: sum(s[0] == start for s in sent) for start in {d.start for d, _ in people}}
    assert min(per_door.values()) >= 3 * after_kill, per_door

    # The proxy kept serving through the other host: every answer after the kill came from
    # it, and the requests cut by the kill (the proxy's 502s, answers lost) were sent again.
    answers = [a for b in browsers for a in b.answers]
    later = [a for a in answers if a.at > killed_at[0] + 0.5 and 0 < a.status < 500]
    assert later
    assert all(a.upstream.endswith(f"{web2.ip}:{WEB_PORT}") for a in later), {
        a.upstream for a in later
    }
    cut = [a for a in answers if a.status == 0 or a.status >= 500]
    assert any(a.method == "POST" for a in cut), "the kill cut no form on its way"
    print(
        f"web host killed under load: {len(sent)} submissions by {len(browsers)} browsers "
        f"({per_door}), {len(answers)} requests, {len(cut)} cut by the kill and sent again "
        f"({sorted({(a.method, a.path) for a in cut})})"
    )


# ------------------------------------------------------------------- exactly one beat

PROBE = "tests.integration.beat_probe"  # config/settings_test.py: sent every second
BEAT_ARGS = ("-S", "cme.beat:LeasedScheduler", "-l", "info")


class Probes:
    """The probe tasks that reached the broker's ``queue`` (nothing consumes it): when each
    was first seen, and which process sent it (Celery's origin header: gen<pid>@<host>)."""

    def __init__(self, queue: str) -> None:
        self.queue = queue
        url = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
        self.broker = redis.Redis.from_url(url)
        self.broker.delete(queue)
        self.seen: dict[str, tuple[float, int]] = {}

    def watch(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while True:
            for raw in self.broker.lrange(self.queue, 0, -1):
                headers = json.loads(raw)["headers"]
                assert headers["task"] == PROBE, headers
                found = re.fullmatch(r"gen(\d+)@.*", headers["origin"])
                assert found, headers
                self.seen.setdefault(headers["id"], (time.monotonic(), int(found.group(1))))
            if time.monotonic() >= deadline:
                return
            time.sleep(0.1)

    def senders(self, since: float = 0.0) -> set[int]:
        return {pid for at, pid in self.seen.values() if at > since}

    def first_from(self, pids: set[int]) -> float:
        return min(at for at, pid in self.seen.values() if pid in pids)


def _beat(host: Host, queue: str, probe_queue: str) -> subprocess.Popen[bytes]:
    """A real ``celery beat`` on ``host``, sending the schedule only while it holds the lease."""
    celery = str(Path(sys.executable).with_name("celery"))
    log = (host.folder / "beat.log").open("w")
    return subprocess.Popen(  # noqa: S603
        [IP, "netns", "exec", host.ns, celery, "-A", "config", "beat", *BEAT_ARGS],
        cwd=BASE_DIR,
        env={**_env(host, queue), "CME_TEST_BEAT_PROBE_QUEUE": probe_queue},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _beat_logs(beats: dict[str, tuple[Host, Any]]) -> str:
    return "\n".join(
        f"--- beat on {name}\n{(host.folder / 'beat.log').read_text(errors='replace')[-3000:]}"
        for name, (host, _) in beats.items()
    )


def test_two_beats_send_the_schedule_once_and_the_other_takes_over_from_a_killed_one(
    hosts: dict[str, Any],
) -> None:
    from cme.models import BeatLease

    probe_queue = f"cme-multihost-probe-{TAG}"
    probes = Probes(probe_queue)
    beats = {h.name: (h, _beat(h, hosts["queue"], probe_queue)) for h in hosts["workers"]}
    try:
        deadline = time.monotonic() + TIMEOUT
        while not probes.seen and time.monotonic() < deadline:
            probes.watch(0.5)
        assert probes.seen, f"no beat sent the probe\n{_beat_logs(beats)}"
        # Both beats run; for a while the schedule is sent, by one of them only, once a second.
        probes.watch(6)
        assert all(process.poll() is None for _, process in beats.values()), _beat_logs(beats)
        assert all(
            "beat: Starting" in (host.folder / "beat.log").read_text() for host, _ in beats.values()
        ), _beat_logs(beats)
        (leader_pid,) = probes.senders()
        times = sorted(at for at, _ in probes.seen.values())
        assert len(times) <= (times[-1] - times[0]) + 2, times  # once a second, not twice
        (leader,) = [
            name
            for name, (host, _) in beats.items()
            if str(leader_pid) in _sh("ip", "netns", "pids", host.ns).stdout.split()
        ]
        assert f":{leader_pid}:" in BeatLease.objects.get().holder

        # The leader's host loses its beat: the other takes the lease when it lapses.
        process = beats[leader][1]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        killed = time.monotonic()
        deadline = killed + TIMEOUT
        while time.monotonic() < deadline and probes.senders() == {leader_pid}:
            probes.watch(0.2)
        new = probes.senders() - {leader_pid}
        assert len(new) == 1, f"{new}\n{_beat_logs(beats)}"
        took_over = probes.first_from(new) - killed
        print(f"beat: the second took over {took_over:.1f} s after the first was killed")
        # Within the lease (and one retry, and a tick), not a moment of two beats before.
        assert took_over <= BEAT_LEASE + 2.5, took_over
        probes.watch(3)
        assert probes.senders(since=killed + 0.5) == new
        (new_pid,) = new
        assert f":{new_pid}:" in BeatLease.objects.get().holder
    finally:
        for _, process in beats.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        probes.broker.delete(probe_queue)
