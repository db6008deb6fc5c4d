#!/usr/bin/env python
"""Benchmark the register, triage and case pages, then load-test them (issue 7 item 4).

Fills a throwaway PostgreSQL database with `manage.py seed_scale --children 100000 --seed 1`,
then:

1. In process (django.test.Client), per page: 30 requests after 3 warm-ups, median and p95
   of the server time, the query count (same on page 1 and page 20), against (a) hand-written
   SQL fetching the same rows through psycopg and (b) the Django admin changelist (or change
   page) of the same model at the same page size. Targets: <= 2x the SQL, <= 1x the admin,
   a constant query count.
2. gunicorn on 127.0.0.1 with production settings (plain HTTP allowed) and a headless locust
   run of 50 users across school staff, officers and managers (scripts/locustfile.py).
   Targets: 0 errors, p95 <= 300 ms.
3. Capacity (issue 18 item 5, scripts/bench_capacity.py): requests per second at p95 <= 300 ms
   under a saturating load stepped over 1-32 users, for the app and the bare-Django control,
   on one gunicorn and on two behind nginx; and how many officers and schools a core serves.

    make bench
    .venv/bin/python scripts/bench_pages.py [--children 100000] [--requests 30] [--keep]
        [--reuse] [--no-load] [--users 50] [--run-time 60s] [--no-pages] [--no-capacity]
        [--steps 1,2,4,8,16,32] [--step-seconds 8] [--warmup-seconds 2]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from typing import Any

from bench_capacity import STEPS, run_capacity
from bench_pages_admin import BARE_STATEMENTS, install_bench_urlconf
from bench_pages_load import BENCH_PASSWORD, load_bench
from benchlib import (
    bench_url,
    drop_database,
    pct,
    recreate_database,
    seed_scale,
    setup_page_django,
    timed_gets,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cme_pages_bench"
TARGET_SQL_RATIO = 2.0
TARGET_ADMIN_RATIO = 1.0


# --- Raw SQL, the same rows as each page ---------------------------------------------------

REGISTER_SQL = """
SELECT c.id, c.reference, c.category, c.received_on, c.due_date,
       (c.due_date < %(today)s AND c.investigation_completed_at IS NULL) AS is_overdue,
       ch.id, ch.first_name, ch.last_name, ch.date_of_birth, ch.upn, ch.restricted,
       ch.child_protection_plan, ch.looked_after, ch.child_in_need, ch.ehcp_sen,
       ch.gypsy_roma_traveller, ch.young_carer, ch.new_arrival_eal, ch.youth_justice,
       u.id, u.full_name, s.id, s.name
FROM casework_case c
JOIN casework_child ch ON ch.id = c.child_id
LEFT JOIN cme_user u ON u.id = c.allocated_to_id
LEFT JOIN schools_school s ON s.id = ch.last_school_id
WHERE c.status = 'open' {extra}
ORDER BY c.due_date, c.id
LIMIT 50 OFFSET %(offset)s
"""
REGISTER_COUNT_SQL = "SELECT count(*) FROM casework_case c WHERE c.status = 'open' {extra}"
REGISTER_FILTER = (
    "AND c.category = 'missing' AND c.due_date < %(today)s AND c.investigation_completed_at IS NULL"
)

TRIAGE_SQL = """
SELECT r.id, r.reference, r.received_at, r.channel, r.trigger, r.referrer_type, r.anonymous,
       r.referrer_organisation, r.first_name, r.last_name, r.date_of_birth, r.reasons,
       r.child_protection_plan, r.looked_after, r.child_in_need, r.ehcp_sen,
       r.gypsy_roma_traveller, r.young_carer, r.new_arrival_eal, r.youth_justice,
       s.id, s.name,
       CASE WHEN r.child_protection_plan OR r.looked_after OR r.reasons @> ANY(%(safe)s::jsonb[])
            THEN 0 ELSE 1 END AS risk,
       CASE WHEN r.child_protection_plan OR r.looked_after THEN 0 ELSE 1 END AS cp_or_lac
FROM referrals_referral r
LEFT JOIN schools_school s ON s.id = r.referring_school_id
WHERE r.status = 'new'
ORDER BY risk, cp_or_lac, r.received_at, r.id
LIMIT 50
"""
TRIAGE_COUNT_SQL = "SELECT count(*) FROM referrals_referral r WHERE r.status = 'new'"

CASE_SQL = """
SELECT c.*, ch.*, u.id, u.full_name, s.id, s.name, os.id, os.name, r.id, r.reference
FROM casework_case c
JOIN casework_child ch ON ch.id = c.child_id
JOIN referrals_referral r ON r.id = c.referral_id
LEFT JOIN cme_user u ON u.id = c.allocated_to_id
LEFT JOIN schools_school s ON s.id = ch.last_school_id
LEFT JOIN schools_school os ON os.id = c.outcome_school_id
WHERE c.reference = %(reference)s
"""
ENQUIRIES_SQL = """
SELECT e.*, u.id, u.full_name FROM casework_enquiry e
LEFT JOIN cme_user u ON u.id = e.made_by_id
WHERE e.case_id = %(case_id)s ORDER BY e.made_on DESC, e.id DESC
"""


def time_sql(url: str, statements: list[tuple[str, dict[str, Any]]], n: int) -> float:
    """Median ms of running ``statements`` (fetching every row) n times, after a warm-up."""
    import psycopg

    times = []
    with psycopg.connect(url, autocommit=True) as conn:
        for i in range(n + 3):
            t0 = time.perf_counter()
            for text, params in statements:
                conn.execute(text, params).fetchall()
            if i >= 3:
                times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


# --- In-process page timings -----------------------------------------------------------------


def time_get(client: Any, url: str, n: int, warmup: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, _ = timed_gets(client, url, n, warmup)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), pct(times, 95), len(queries)


def page_selects(client: Any, url: str) -> list[tuple[str, dict[str, Any]]]:
    """Every SELECT one request to ``url`` ran, as the SQL sent (parameters bound by the
    client-side cursor), to replay through psycopg."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)  # noqa: S101
    selects: list[tuple[str, dict[str, Any]]] = []
    for q in queries.captured_queries:
        text = q["sql"].lstrip()
        if text.upper().startswith("DECLARE"):  # a server-side cursor (.iterator()): its query
            text = text.split(" CURSOR FOR ", 1)[1]
        if text.upper().startswith("SELECT"):
            selects.append((text.replace("%", "%%"), {}))
    return selects


def query_count(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)  # noqa: S101
    return len(queries)


def bench_users() -> dict[str, Any]:
    """An officer, a manager and an administrator for the in-process run; a known password on
    a few of seed_scale's users (which have none) for the load test."""
    from django.contrib.auth.hashers import make_password

    from cme.models import Role, User
    from schools.models import SchoolMembership

    password = make_password(BENCH_PASSWORD)
    officers = list(User.objects.filter(role=Role.OFFICER, is_active=True).order_by("pk")[:20])
    managers = list(User.objects.filter(role=Role.MANAGER, is_active=True).order_by("pk")[:10])
    staff_ids = (
        SchoolMembership.objects.filter(user__is_active=True, user__role=Role.SCHOOL_STAFF)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()[:20]
    )
    staff = list(User.objects.filter(pk__in=list(staff_ids)))
    User.objects.filter(pk__in=[u.pk for u in officers + managers + staff]).update(
        password=password
    )
    # Re-read: the session hash that force_login stores comes from the password.
    officers = list(User.objects.filter(pk__in=[u.pk for u in officers]).order_by("pk"))
    managers = list(User.objects.filter(pk__in=[u.pk for u in managers]).order_by("pk"))
    admin, _ = User.objects.get_or_create(
        email="bench-admin@example.gov.uk",
        defaults={"full_name": "Bench administrator", "role": Role.ADMINISTRATOR},
    )
    admin.is_staff = admin.is_superuser = True
    admin.role = Role.ADMINISTRATOR
    admin.save()
    return {
        "officer": officers[0],
        "manager": managers[0],
        "admin": admin,
        "officers": officers,
        "managers": managers,
        "staff": staff,
    }


#: A page of the bench: name, URL, the same list's page 20 ("" if none), the hand-written SQL
#: for its rows, and the admin page showing the same rows.
BenchPage = tuple[str, str, str, list[tuple[str, dict[str, Any]]], str]


def bench_page_table() -> list[BenchPage]:
    """The register (plain and filtered), triage and case pages, each with its hand-written
    SQL and its admin page. Deterministic on the same data (the case is the first open one,
    by key, with enquiries, on a child who is not restricted), so a gunicorn worker
    (scripts/bench_wsgi.py) builds the same table as this process."""
    from django.utils import timezone

    from casework.models import Case, CaseStatus
    from referrals.models import SAFEGUARDING_REASONS

    today = timezone.localdate()
    # A case with enquiries, on a child that is not restricted (no interstitial).
    case = (
        Case.objects.filter(
            status=CaseStatus.OPEN, child__restricted=False, enquiries__isnull=False
        )
        .order_by("pk")
        .first()
    )
    assert case is not None  # noqa: S101
    n_enquiries = case.enquiries.count()
    safe = [f'["{code}"]' for code in sorted(str(c) for c in SAFEGUARDING_REASONS)]

    filtered = "category=missing&overdue=on"
    return [
        (
            "register p1",
            "/register/",
            "/register/?page=20",
            [
                (REGISTER_SQL.format(extra=""), {"today": today, "offset": 0}),
                (REGISTER_COUNT_SQL.format(extra=""), {}),
            ],
            "/bench-admin/casework/case/",
        ),
        (
            "register filtered",
            f"/register/?{filtered}",
            f"/register/?{filtered}&page=20",
            [
                (REGISTER_SQL.format(extra=REGISTER_FILTER), {"today": today, "offset": 0}),
                (REGISTER_COUNT_SQL.format(extra=REGISTER_FILTER), {"today": today}),
            ],
            # The admin has no such filter: the same query string as a lookup.
            f"/bench-admin/casework/case/?category=missing&due_date__lt={today}"
            "&investigation_completed_at__isnull=True",
        ),
        (
            "triage",
            "/triage/",
            "/triage/?page=20",
            [(TRIAGE_SQL, {"safe": safe}), (TRIAGE_COUNT_SQL, {})],
            "/bench-admin/referrals/referral/",
        ),
        (
            f"case ({n_enquiries} enquiries)",
            f"/cases/{case.reference}/enquiries/",
            "",
            [(CASE_SQL, {"reference": case.reference}), (ENQUIRIES_SQL, {"case_id": case.pk})],
            f"/bench-admin/casework/case/{case.pk}/change/",
        ),
    ]


def page_bench(url: str, users: dict[str, Any], n: int, warmup: int) -> bool:
    from django.db import connection
    from django.test import Client, override_settings

    officer = Client()
    officer.force_login(users["officer"])
    admin = Client()
    admin.force_login(users["admin"])
    pages = bench_page_table()

    BARE_STATEMENTS[:] = [statements for _, _, _, statements, _ in pages]
    anonymous = Client()

    header = (
        f"{'page':24} {'median':>7} {'p95':>7} {'queries':>8} {'q p20':>6} {'SQL':>6} "
        f"{'xSQL':>5} {'pgSQL':>6} {'xpgSQL':>6} {'bare':>6} {'xSQL':>5} {'admin':>7} "
        f"{'xadmin':>6}  targets (<=2x SQL, <=1x admin, const q)"
    )
    print()
    print(f"pages: {n} requests each after {warmup} warm-ups, in process, times in ms")
    print("  SQL: hand-written SQL for the page's rows and count, through psycopg")
    print("  pgSQL: every SELECT the page itself ran (session, user, rows, count, filter options,")
    print("         notifications...), replayed through psycopg: the page's whole database time")
    print("  bare: the control, the same hand-written SQL served by a Django view through the")
    print("        same middleware, with no sign-in, access check, audit row or template: the")
    print("        least any Django page showing those rows can cost")
    print(header)
    print("-" * len(header))
    ok = True
    with override_settings(DEBUG=False, CME_REQUIRE_2FA=False):
        connection.force_debug_cursor = False
        floor_median, _, floor_queries = time_get(officer, "/bench-empty/", n, warmup)
        floor_sql = time_sql(url, page_selects(officer, "/bench-empty/"), n)
        print(
            f"{'(empty signed-in page)':24} {floor_median:7.1f} {'':>7} {floor_queries:8d} "
            f"{'':>6} {'':>6} {'':>5} {floor_sql:6.2f} {floor_median / floor_sql:6.1f}"
        )
        for index, (name, page_url, page20, statements, admin_page) in enumerate(pages):
            median, p95, queries = time_get(officer, page_url, n, warmup)
            bare_ms, _, _ = time_get(anonymous, f"/bench-bare/{index}/", n, warmup)
            q20 = query_count(officer, page20) if page20 else queries
            sql_ms = time_sql(url, statements, n)
            page_sql_ms = time_sql(url, page_selects(officer, page_url), n)
            admin_ms, _, _ = time_get(admin, admin_page, n, warmup)
            x_sql, x_admin = median / sql_ms, median / admin_ms
            verdicts = [
                x_sql <= TARGET_SQL_RATIO,
                x_admin <= TARGET_ADMIN_RATIO,
                q20 == queries,
            ]
            ok = ok and all(verdicts)
            marks = " ".join("PASS" if v else "FAIL" for v in verdicts)
            print(
                f"{name:24} {median:7.1f} {p95:7.1f} {queries:8d} "
                f"{q20 if page20 else '-':>6} {sql_ms:6.2f} {x_sql:5.1f} {page_sql_ms:6.2f} "
                f"{median / page_sql_ms:6.1f} {bare_ms:6.2f} {bare_ms / sql_ms:5.1f} "
                f"{admin_ms:7.1f} {x_admin:6.2f}  {marks}"
            )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--run-time", default="60s")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use the kept database as it is")
    parser.add_argument("--no-load", action="store_true", help="skip the locust run")
    parser.add_argument("--no-pages", action="store_true", help="skip the in-process timings")
    parser.add_argument("--no-capacity", action="store_true", help="skip the capacity run")
    parser.add_argument("--steps", default=",".join(map(str, STEPS)), help="capacity: users")
    parser.add_argument("--step-seconds", type=float, default=8.0, help="capacity: a step")
    parser.add_argument("--warmup-seconds", type=float, default=2.0, help="capacity: warm-up")
    args = parser.parse_args()

    url = bench_url(DEFAULT_URL)
    if url is None:
        return 2
    if not args.reuse:
        recreate_database(url)
    setup_page_django(url)
    logging.getLogger("axes").setLevel(logging.WARNING)
    ok = False
    try:
        if not args.reuse:
            seed_scale(args.children, analyze=True)
        ok = run_benches(url, args)
    finally:
        if not args.keep:
            drop_database(url)
    return 0 if ok else 1


def run_benches(url: str, args: argparse.Namespace) -> bool:
    """The in-process page timings, the load test, then the capacity run; True if all met
    their targets."""
    from django.conf import settings

    from casework.models import Case, Child
    from referrals.models import Referral

    settings.ROOT_URLCONF = install_bench_urlconf()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"data: {Child.objects.count():,} children, {Case.objects.count():,} cases "
          f"({Case.objects.filter(status='open').count():,} open), "
          f"{Referral.objects.filter(status='new').count():,} new referrals")  # fmt: skip
    users = bench_users()
    ok = args.no_pages or page_bench(url, users, args.requests, args.warmup)
    if not args.no_load:
        ok = load_bench(url, users, args) and ok
    if not args.no_capacity:
        ok = run_capacity(url, users, args) and ok
    return ok


if __name__ == "__main__":
    raise SystemExit(main())
