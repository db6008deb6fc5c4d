"""The load generator of `make bench`'s capacity run, started by scripts/bench_capacity.py
as a process of its own (locust patches the standard library for gevent when imported):

    python scripts/bench_capacity_load.py CONFIG.json

For each number of users in the config's steps, each target in turn (interleaved): that
many users with no think time (scripts/locustfile.py's classes, each user waiting only for
its last answer), measured for `seconds` after every user has signed in and `warmup`
seconds. The other targets' users wait at a gate meanwhile, signed in, sending nothing. A
target stops stepping once a step is past the limit (bench_capacity.keep_stepping). One JSON
line a step on stdout.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import gevent
import locustfile
import psutil
from bench_capacity import Step, keep_stepping
from gevent.event import Event
from locust import FastHttpUser
from locust.env import Environment
from locust.event import Events

LOADS: dict[str, list[type[FastHttpUser]]] = {
    "mix": [locustfile.AllRoles],
    "pages": [locustfile.ControlPagesOfficer],
    "control": [locustfile.BareControl],
}


class Target:
    """One load against one host: its own locust environment (and so its own statistics),
    its users gated so that only the target being measured sends anything."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.name: str = spec["name"]
        self.pids: list[int] = spec["pids"]
        self.database: str = spec["database"]
        self.gate = Event()
        self.ready = 0  # users past on_start (signed in)
        self.steps: list[Step] = []
        self.env = Environment(
            user_classes=[self._gated(base) for base in LOADS[spec["load"]]],
            host=spec["host"],
            events=Events(),  # type: ignore[no-untyped-call]
        )
        self.runner = self.env.create_local_runner()

    def _gated(self, base: type[FastHttpUser]) -> type[FastHttpUser]:
        target = self

        def wait_time(user: FastHttpUser) -> float:
            target.gate.wait()
            return 0.0

        def on_start(user: FastHttpUser) -> None:
            base.on_start(user)
            target.ready += 1

        def on_stop(user: FastHttpUser) -> None:
            target.ready -= 1

        attrs = {"abstract": False, "wait_time": wait_time, "on_start": on_start,
                 "on_stop": on_stop}  # fmt: skip
        return type(base.__name__, (base,), attrs)

    def measure(self, users: int, warmup: float, seconds: float) -> Step:
        self.gate.set()
        if self.runner.target_user_count != users:
            self.runner.start(users, spawn_rate=users)
        deadline = time.monotonic() + 120
        while self.ready < users:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name}: {self.ready} of {users} users signed in")
            gevent.sleep(0.1)
        gevent.sleep(warmup)
        # A sign-in that failed would leave the user browsing the sign-in page: count it.
        failed_before = self.env.stats.total.num_failures
        self.env.stats.reset_all()
        me = psutil.Process()
        web0, db0, gen0, t0 = self._web_cpu(), self._db_cpu(), _seconds(me), time.monotonic()
        gevent.sleep(seconds)
        elapsed = time.monotonic() - t0
        web, db = _used(web0, self._web_cpu()), _used(db0, self._db_cpu())
        gen = _seconds(me) - gen0
        total = self.env.stats.total
        step = Step(
            users=users,
            requests=total.num_requests,
            failures=total.num_failures + failed_before,
            rps=total.num_requests / elapsed,
            p50_ms=float(total.get_response_time_percentile(0.5) or 0),
            p95_ms=float(total.get_response_time_percentile(0.95) or 0),
            web_cores=web / elapsed,
            db_cores=db / elapsed,
            client_cores=gen / elapsed,
            load1=os.getloadavg()[0],
        )
        self.gate.clear()
        return step

    def _web_cpu(self) -> dict[int, float]:
        """CPU seconds so far of each of the host's processes (gunicorn and its workers;
        nginx and its worker)."""
        processes = []
        for pid in self.pids:
            parent = psutil.Process(pid)
            processes += [parent, *parent.children(recursive=True)]
        return {p.pid: _seconds(p) for p in processes}

    def _db_cpu(self) -> dict[int, float]:
        """CPU seconds so far of each PostgreSQL backend connected to the bench's database
        (named in its process title), not the server's other databases."""
        title = f" {self.database} "
        return {
            p.pid: _seconds(p)
            for p in psutil.process_iter(["cmdline"])
            if title in " ".join(p.info["cmdline"] or []) + " "
            and "postgres" in (p.info["cmdline"] or [""])[0]
        }


def _seconds(process: psutil.Process) -> float:
    try:
        times = process.cpu_times()
    except psutil.Error:  # gone since it was listed
        return 0.0
    return float(times.user + times.system)


def _used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two snapshots (a process new since the first from zero)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def main() -> int:
    config = json.loads(Path(sys.argv[1]).read_text())
    targets = [Target(spec) for spec in config["targets"]]
    for users in config["steps"]:
        for target in targets:
            if not keep_stepping(target.steps, config["limit_ms"]):
                continue
            step = target.measure(users, config["warmup"], config["seconds"])
            target.steps.append(step)
            print(json.dumps({"target": target.name, "step": asdict(step)}), flush=True)
    for target in targets:
        target.runner.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
