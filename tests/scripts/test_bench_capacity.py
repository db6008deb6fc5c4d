"""The capacity run's choices (scripts/bench_capacity.py): which step is the sustainable one,
when a load stops stepping, and people per core."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench_capacity import Step, keep_stepping, nginx_conf, people_per_core, sustainable


def step(users: int, rps: float, p95: float, failures: int = 0, requests: int = 100) -> Step:
    return Step(
        users=users, requests=requests, failures=failures, rps=rps, p50_ms=p95 / 2, p95_ms=p95
    )


def test_the_sustainable_step_is_the_highest_rps_within_the_p95_limit() -> None:
    steps = [step(1, 20, 60), step(2, 38, 110), step(4, 61, 240), step(8, 70, 410)]
    assert sustainable(steps) == steps[2]


def test_a_step_exactly_at_the_limit_counts_and_one_just_over_does_not() -> None:
    assert sustainable([step(1, 10, 100), step(2, 30, 300)]) == step(2, 30, 300)
    assert sustainable([step(1, 10, 100), step(2, 30, 301)]) == step(1, 10, 100)


def test_more_users_with_fewer_rps_within_the_limit_do_not_win() -> None:
    # Past its knee a server can answer fewer requests a second while p95 still passes.
    steps = [step(4, 80, 150), step(8, 75, 290)]
    assert sustainable(steps) == steps[0]


def test_a_step_with_a_failure_or_no_request_is_not_sustainable() -> None:
    assert sustainable([step(1, 10, 50), step(2, 90, 80, failures=1)]) == step(1, 10, 50)
    assert sustainable([step(1, 0, 0, requests=0)]) is None


def test_no_step_within_the_limit_gives_none() -> None:
    assert sustainable([step(1, 5, 320), step(2, 6, 700)]) is None
    assert sustainable([]) is None


def test_the_limit_can_be_given() -> None:
    steps = [step(1, 10, 40), step(2, 18, 90)]
    assert sustainable(steps, limit_ms=50) == steps[0]


def test_a_load_steps_on_until_a_step_is_past_the_limit() -> None:
    assert keep_stepping([])
    assert keep_stepping([step(1, 10, 50), step(2, 19, 300)])
    assert not keep_stepping([step(1, 10, 50), step(2, 19, 301)])
    assert not keep_stepping([step(1, 10, 50, failures=2)])


@pytest.mark.parametrize(
    ("rps", "cores", "per_hour", "people"),
    [
        (10.0, 2, 120, 150),  # 5 req/s a core x 3600 s / 120 views
        (10.0, 2, 20, 900),
        (10.0, 1, 120, 300),
        (0.05, 2, 120, 0),  # rounded down: a fraction of a person is nobody
        (33.4, 2, 120, 501),
    ],
)
def test_people_per_core(rps: float, cores: int, per_hour: int, people: int) -> None:
    assert people_per_core(rps, cores, per_hour) == people


def test_the_proxy_spreads_over_both_hosts_and_keeps_connections_to_them(tmp_path: Path) -> None:
    conf = nginx_conf(tmp_path, 9000, [9001, 9002])
    assert "server 127.0.0.1:9001; server 127.0.0.1:9002; keepalive 64;" in conf
    assert "listen 127.0.0.1:9000;" in conf
    assert 'proxy_set_header Connection "";' in conf
    assert "proxy_http_version 1.1;" in conf


def test_requests_per_core_used_counts_the_web_and_database_processes() -> None:
    measured = Step(
        users=4, requests=200, failures=0, rps=25.0, p50_ms=90, p95_ms=200,
        web_cores=0.4, db_cores=0.1,
    )  # fmt: skip
    assert measured.rps_per_core_used == pytest.approx(50.0)
    assert step(1, 10, 50).rps_per_core_used == 0.0  # no CPU figures: no estimate
    assert people_per_core(25.0, 0.5, 120) == 1500  # a fraction of a core, as measured
