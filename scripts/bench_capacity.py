"""The capacity run of `make bench` (issue 18 item 5): requests per second at p95 <= 300 ms
under a saturating load (no think time), for the app and for the bare-Django control side by
side, on one web host and on two behind nginx.

Three servers start on loopback (namespaces add nothing a benchmark needs, only a veth hop
and the socat forwarders to PostgreSQL that tests/integration/test_multihost.py uses):
gunicorn "web1" and "web2", each gunicorn.conf.py as in production serving
scripts/bench_wsgi.py (the project's WSGI application with the bench URLs after its own),
and nginx spreading requests over both. "One host" is web1 on its own port; "two hosts" is
nginx in front of web1 and web2.

Each of three loads runs against each of those, stepping the concurrent users (1, 2, 4, 8,
16, 32), each user sending its next request as soon as the last one is answered:

- mix: scripts/locustfile.py's school staff, officers and managers (a third each), the page
  mix of the 50-user load test, signed in through the sign-in form;
- pages: an officer on the four pages that have a control (register, register filtered,
  triage, one case), each as often;
- control: the control for those four pages (/bench-bare/<index>/): the same hand-written
  SQL through a bare Django view, no sign-in, no access check, no template.

Steps are interleaved (every load at 1 user, then every load at 2...), so that whatever else
runs on the machine weighs on the app and the control alike: the ratio is the figure to
read; the absolute numbers move with the machine. A load stops stepping once a step's p95 is
over 300 ms (or a request failed): more users only queue longer. The load generator
(scripts/bench_capacity_load.py, locust as a library) runs on the same two cores.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchlib import ROOT, admin_url

LIMIT_P95_MS = 300.0
STEPS = (1, 2, 4, 8, 16, 32)
#: Page views an hour (the assumptions the README's capacity figures state).
OFFICER_VIEWS_PER_HOUR = 120
SCHOOL_VIEWS_PER_HOUR = 20
WEB1_PORT, WEB2_PORT, PROXY_PORT = 8766, 8767, 8768
LOADS = ("mix", "pages", "control")


@dataclass(frozen=True)
class Step:
    """One step of a load: `users` concurrent users with no think time, measured over a
    window after every user had signed in and a warm-up."""

    users: int
    requests: int
    failures: int
    rps: float
    p50_ms: float
    p95_ms: float
    #: Cores the web host processes (gunicorn, and nginx for two hosts) used in the window,
    #: the PostgreSQL backends on the bench's database, and the load generator.
    web_cores: float = 0.0
    db_cores: float = 0.0
    client_cores: float = 0.0
    #: The machine's 1-minute load average at the end of the window (it is shared).
    load1: float = 0.0

    @property
    def rps_per_core_used(self) -> float:
        """Requests a second per core the web and database processes used: what a core
        given to the app alone would answer, whatever else the machine was doing."""
        used = self.web_cores + self.db_cores
        return self.rps / used if used else 0.0

    def within(self, limit_ms: float = LIMIT_P95_MS) -> bool:
        """Sustainable: answered something, with no failure, and p95 within the limit."""
        return self.requests > 0 and self.failures == 0 and self.p95_ms <= limit_ms


def sustainable(steps: Iterable[Step], limit_ms: float = LIMIT_P95_MS) -> Step | None:
    """The step with the most requests per second among those within the limit (p95 <=
    `limit_ms`, no failure); None if none is."""
    return max((s for s in steps if s.within(limit_ms)), key=lambda s: s.rps, default=None)


def keep_stepping(steps: Sequence[Step], limit_ms: float = LIMIT_P95_MS) -> bool:
    """Whether a load should take its next step: it has none yet, or its last was within
    the limit. Past the limit more users only queue longer."""
    return not steps or steps[-1].within(limit_ms)


def people_per_core(rps: float, cores: float, views_per_hour: float) -> int:
    """How many people, each viewing `views_per_hour` pages an hour, `rps` requests a
    second measured on `cores` cores serve per core (rounded down)."""
    return int(rps / cores * 3600 / views_per_hour)


# --- The run -----------------------------------------------------------------------------------


def nginx_conf(folder: Path, port: int, upstreams: Sequence[int]) -> str:
    """nginx in front of gunicorn on `upstreams` (loopback ports), round robin, keeping
    connections to them open as a production proxy would."""
    servers = " ".join(f"server 127.0.0.1:{p};" for p in upstreams)
    temp = "\n".join(
        f"  {kind}_temp_path {folder}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
{temp}
  upstream web {{ {servers} keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://web;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }}
  }}
}}
"""


@contextlib.contextmanager
def nginx(folder: Path, port: int, upstreams: Sequence[int]) -> Iterator[subprocess.Popen[bytes]]:
    from bench_pages_load import wait_for

    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "nginx.conf"
    conf.write_text(nginx_conf(folder, port, upstreams))
    process = subprocess.Popen(  # noqa: S603
        ["nginx", "-c", str(conf), "-p", str(folder)],  # noqa: S607 - Debian's nginx
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", 15)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def run_capacity(url: str, users: dict[str, Any], args: Any) -> bool:
    """Start the servers, run the stepped loads and print the figures; True if every load
    had a step within the limit."""
    from bench_pages import bench_page_table
    from bench_pages_load import BIN, case_refs, gunicorn, gunicorn_shape, locust_env, server_env
    from django.db import connections

    refs = case_refs()
    control_pages = [page_url for _, page_url, _, _, _ in bench_page_table()]
    connections.close_all()
    env = server_env(url)
    tmp = Path(tempfile.mkdtemp(prefix="cme-capacity-"))
    steps = [int(s) for s in str(args.steps).split(",")]
    print()
    print(
        f"capacity: {', '.join(map(str, steps))} users, no think time, {args.step_seconds} s "
        f"a step after {args.warmup_seconds} s warm-up; gunicorn.conf.py: {gunicorn_shape()}; "
        f"load {load_average()} at the start"
    )
    results: dict[str, list[Step]] = {}
    with contextlib.ExitStack() as stack:
        web1 = stack.enter_context(
            gunicorn(env, WEB1_PORT, tmp / "web1", app="bench_wsgi:application")
        )
        web2 = stack.enter_context(
            gunicorn(env, WEB2_PORT, tmp / "web2", app="bench_wsgi:application")
        )
        proxy = stack.enter_context(nginx(tmp / "proxy", PROXY_PORT, [WEB1_PORT, WEB2_PORT]))
        topologies = [
            ("one host", WEB1_PORT, [web1.pid]),
            ("two hosts", PROXY_PORT, [web1.pid, web2.pid, proxy.pid]),
        ]
        config = {
            "steps": steps,
            "warmup": args.warmup_seconds,
            "seconds": args.step_seconds,
            "limit_ms": LIMIT_P95_MS,
            "targets": [
                {
                    "name": f"{where}, {load}",
                    "host": f"http://127.0.0.1:{port}",
                    "load": load,
                    "pids": pids,
                    "database": admin_url(url)[1],
                }
                for where, port, pids in topologies
                for load in LOADS
            ],
        }
        (tmp / "config.json").write_text(json.dumps(config))
        print(f"{'load':22} {'users':>5} {'requests':>8} {'fails':>5} {'req/s':>7} {'p50':>5} "
              f"{'p95':>5} {'web cores':>9} {'db cores':>8} {'locust':>6} {'load':>5}")  # fmt: skip
        with subprocess.Popen(  # noqa: S603
            [str(BIN / "python"), str(ROOT / "scripts" / "bench_capacity_load.py"),
             str(tmp / "config.json")],
            cwd=ROOT,
            env={**locust_env(env, users, refs), "BENCH_CONTROL_PAGES": " ".join(control_pages)},
            stdout=subprocess.PIPE,
            text=True,
        ) as runner:  # fmt: skip
            assert runner.stdout is not None  # noqa: S101
            for line in runner.stdout:
                record = json.loads(line)
                step = Step(**record["step"])
                results.setdefault(record["target"], []).append(step)
                print(f"{record['target']:22} {step.users:5d} {step.requests:8d} "
                      f"{step.failures:5d} {step.rps:7.1f} {step.p50_ms:5.0f} "
                      f"{step.p95_ms:5.0f} {step.web_cores:9.2f} {step.db_cores:8.2f} "
                      f"{step.client_cores:6.2f} {step.load1:5.1f}", flush=True)  # fmt: skip
        if runner.returncode:
            print(f"the load generator failed ({runner.returncode}); logs in {tmp}")
            return False
    (tmp / "results.json").write_text(
        json.dumps({k: [asdict(s) for s in v] for k, v in results.items()}, indent=1)
    )
    return print_capacity(results, os.cpu_count() or 1, tmp)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def print_capacity(results: dict[str, list[Step]], cores: int, tmp: Path) -> bool:
    """The summary: each load's sustainable step side by side, the app against the control,
    and how many officers and schools one core serves."""
    best = {name: sustainable(steps) for name, steps in results.items()}

    def cell(step: Step | None) -> str:
        if step is None:
            return f"{'none within limit':>29}"
        return (
            f"{step.rps:6.1f} ({step.users:2d}; {step.p95_ms:3.0f} ms) "
            f"{step.rps_per_core_used:6.0f}/cpu"
        )

    print()
    print(
        f"requests/s at p95 <= {LIMIT_P95_MS:.0f} ms (users; p95), and per CPU-second the "
        f"web and database processes used, on {cores} cores; load {load_average()} at the end"
    )
    header = f"{'':10} {'mix':>29} {'pages':>29} {'control':>29} {'pages/control':>14}"
    print(header)
    print("-" * len(header))
    for where in ("one host", "two hosts"):
        mix, pages, control = (best.get(f"{where}, {load}") for load in LOADS)
        ratio = "-"
        if pages and control and control.rps_per_core_used:
            per_cpu = pages.rps_per_core_used / control.rps_per_core_used
            ratio = f"{pages.rps / control.rps:.2f} ({per_cpu:.2f}/cpu)"
        print(f"{where:10} {cell(mix)} {cell(pages)} {cell(control)} {ratio:>14}")
    mix = best.get("one host, mix")
    if mix is not None:
        used = mix.web_cores + mix.db_cores
        for what, rps, per in (
            (f"machine core ({mix.rps:.1f} req/s over {cores} cores)", mix.rps, cores),
            (f"core the app used ({mix.rps:.1f} req/s over {used:.2f} cores)", mix.rps, used),
        ):
            print(
                f"one {what}: {people_per_core(rps, per, OFFICER_VIEWS_PER_HOUR):,} officers "
                f"at {OFFICER_VIEWS_PER_HOUR} page views an hour, or "
                f"{people_per_core(rps, per, SCHOOL_VIEWS_PER_HOUR):,} schools at "
                f"{SCHOOL_VIEWS_PER_HOUR}"
            )
    print(f"(server logs and results.json in {tmp})")
    return all(best.values()) and len(best) == 2 * len(LOADS)
