"""The tables scripts/bench_jobs.py sweeps, filled to N rows each in PostgreSQL with
``INSERT ... SELECT generate_series`` (the bench's own setup, timed apart), and the small SQL
helpers it uses."""

from __future__ import annotations

from datetime import date
from typing import Any

import benchlib  # noqa: F401 (the project on sys.path)

TODAY = date(2026, 11, 18)  # a Wednesday in the autumn term of the bench's calendar
N_SCHOOLS = 400
N_OFFICERS = 40
N_MANAGERS = 4


def _literal_default(field: Any) -> str:
    from django.db import models

    if field.null:
        return "NULL"
    if isinstance(field, models.DateTimeField):
        return "now()"
    default = field.get_default()
    if isinstance(field, models.JSONField):
        return "'[]'::jsonb"
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, int):
        return str(default)
    if default in ("", None):
        return "''"
    raise ValueError(f"no default for {field}")


def insert_series(model: Any, n: int, exprs: dict[str, str]) -> None:
    """INSERT INTO <model's own table> SELECT ... FROM generate_series(1, n) AS g; ``exprs``
    gives SQL (over ``g``) by attname, every other column its default."""
    from django.db import connection

    qn = connection.ops.quote_name
    fields = list(model._meta.local_concrete_fields)
    unknown = set(exprs) - {f.attname for f in fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no {unknown}")
    cols = ", ".join(qn(f.column) for f in fields)
    values = ", ".join(exprs.get(f.attname) or _literal_default(f) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(model._meta.db_table)} ({cols}) "  # noqa: S608
            f"SELECT {values} FROM generate_series(1, {int(n)}) AS g"
        )


def sql(statement: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.fetchall() if cursor.description else []


def truncate(*tables: str) -> None:
    sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def analyze(*tables: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def d(days_before_today: int | str) -> str:
    return f"(DATE '{TODAY.isoformat()}' - ({days_before_today}))"


def fill_base() -> None:
    """400 schools (LA 999), the LA's terms, 40 officers, 4 managers, a staff member each."""
    from cme.models import User
    from schools.models import School, SchoolMembership, Term

    truncate("cme_user", "schools_school", "schools_term", "schools_closure", "cme_notification")
    insert_series(
        School,
        N_SCHOOLS,
        {
            "id": "g",
            "urn": "100000 + g",
            "name": "'Bench School ' || g",
            "school_type": "'maintained'",
            "phase": "'primary'",
            "la_code": "'999'",
        },
    )
    staff = N_OFFICERS + N_MANAGERS
    insert_series(
        User,
        staff + N_SCHOOLS,
        {
            "id": "g",
            "email": "'user' || g || '@bench.example'",
            "full_name": "'Bench User ' || g",
            "password": "'!'",
            "role": f"CASE WHEN g <= {N_OFFICERS} THEN 'officer' WHEN g <= {staff} "
            "THEN 'manager' ELSE 'school_staff' END",
        },
    )
    insert_series(
        SchoolMembership, N_SCHOOLS, {"id": "g", "user_id": f"{staff} + g", "school_id": "g"}
    )
    for i, (start, end) in enumerate(
        [
            ((2025, 9, 3), (2025, 12, 19)),
            ((2026, 1, 5), (2026, 3, 27)),
            ((2026, 4, 13), (2026, 7, 22)),
            ((2026, 9, 2), (2026, 12, 18)),
            ((2027, 1, 5), (2027, 3, 26)),
        ],
        start=1,
    ):
        Term.objects.create(id=i, name=f"Term {i}", start=date(*start), end=date(*end))
    sql("SELECT setval(pg_get_serial_sequence('schools_term', 'id'), 10)")


def fill_cases(n: int, per_mille: int) -> None:
    """n children, n accepted referrals, n cases. 5% open; ``per_mille`` of all cases are
    open with the investigation overdue, as many again open with a child past compulsory
    school age; the rest closed, or open and not yet due."""
    from casework.models import Case, Child
    from referrals.models import Referral

    truncate("casework_child", "referrals_referral", "casework_case", "schools_schoolreturn")
    p = 1000 // per_mille  # one row in p is flagged, for each of the two case jobs
    insert_series(
        Child,
        n,
        {
            "id": "g",
            "first_name": "'Child'",
            "last_name": "'Bench' || g",
            # The CSA-ended ones are born 18 years ago; everyone else is 10.
            "date_of_birth": f"CASE WHEN g % {p} = 1 THEN {d(18 * 365)} ELSE {d(10 * 365)} END",
        },
    )
    insert_series(
        Referral,
        n,
        {
            "id": "g",
            "reference": "'RF-' || g",
            "channel": "'signed_in'",
            "received_at": "now()",
            "status": "'accepted'",
            "decided_at": "now()",
            "referrer_type": "'school'",
        },
    )
    is_open = f"(g % {p} IN (0, 1) OR g % 20 = 2)"
    overdue = f"g % {p} = 0"
    insert_series(
        Case,
        n,
        {
            "id": "g",
            "reference": "'CS-' || g",
            "child_id": "g",
            "referral_id": "g",
            "category": "CASE WHEN g % 3 = 0 THEN 'missing' ELSE 'wasp' END",
            "status": f"CASE WHEN {is_open} THEN 'open' ELSE 'closed' END",
            "allocated_to_id": f"1 + g % {N_OFFICERS}",
            "due_date": f"CASE WHEN {overdue} THEN {d('1 + g % 30')} "
            f"WHEN {is_open} THEN {d('-1 - g % 14')} ELSE {d('30 + g % 1800')} END",
            "received_on": f"CASE WHEN {overdue} THEN {d('15 + g % 30')} "
            f"WHEN {is_open} THEN {d('13 - g % 14')} ELSE {d('44 + g % 1800')} END",
            "investigation_completed_at": f"CASE WHEN {is_open} THEN NULL ELSE now() END",
            "outcome": f"CASE WHEN {is_open} THEN '' ELSE 'on_roll_in_area' END",
            "closed_at": f"CASE WHEN {is_open} THEN NULL ELSE now() END",
        },
    )
    analyze("casework_child", "referrals_referral", "casework_case")


def _returns(n: int, kind: str, status: str, submitted: str, extra: dict[str, str]) -> None:
    from schools.models import SchoolReturn

    insert_series(
        SchoolReturn,
        n,
        {
            "id": "g",
            "reference": "'R-' || g",
            "kind": kind,
            "school_id": f"1 + g % {N_SCHOOLS}",
            "status": status,
            "submitted_at": submitted,
            "first_name": "'Pupil'",
            "last_name": "'Bench' || (g % 5000)",
            "date_of_birth": d(10 * 365),
            "gender": "'F'",
            "upn": "'A' || lpad(g::text, 12, '0')",
            "address_line_1": "'1 High Street'",
            "town": "'Exeter'",
            "postcode": "'EX1 1AA'",
            **extra,
        },
    )


def fill_absence(n: int, per_mille: int) -> None:
    """n absence notifications: ``per_mille`` past the threshold and unflagged (a fifth after
    leave, three in ten with whereabouts unknown, which raises a referral), as many again
    waiting but not yet due; the rest closed with the threshold recorded long ago."""
    from schools.models import AbsenceNotification

    truncate("schools_schoolreturn", "referrals_referral")
    p = 1000 // per_mille
    due, waiting = f"g % {p} = 0", f"g % {p} = 1"
    _returns(
        n,
        "'absence'",
        f"CASE WHEN {due} OR {waiting} THEN 'received' ELSE 'closed' END",
        "now() - interval '1 day' * (g % 700)",
        {},
    )
    insert_series(
        AbsenceNotification,
        n,
        {
            "schoolreturn_ptr_id": "g",
            "first_day_of_absence": f"CASE WHEN {due} THEN {d(60)} WHEN {waiting} THEN {d(3)} "
            f"ELSE {d('60 + g % 700')} END",
            "absence_type": f"CASE WHEN {due} AND g % 5 = 0 THEN 'after_leave' "
            "ELSE 'unauthorised' END",
            "leave_end_date": f"CASE WHEN {due} AND g % 5 = 0 THEN {d(61)} END",
            "whereabouts": "CASE WHEN g % 10 < 3 THEN 'unknown' ELSE 'known' END",
            "threshold_reached_on": f"CASE WHEN {due} OR {waiting} THEN NULL "
            f"ELSE {d('30 + g % 700')} END",
        },
    )
    analyze("schools_schoolreturn", "schools_absencenotification")


def fill_leavers(n: int, per_mille: int) -> None:
    """n leaver returns: ``per_mille`` in-area, open, unmatched and past the transition
    window (each raises a referral), as many again in the window, one in a thousand matched
    by a joiner return the job links; the rest out of area or closed."""
    from schools.models import JoinerReturn, LeaverReturn

    truncate("schools_schoolreturn", "referrals_referral")
    p = 1000 // per_mille
    overdue, window, matches = f"g % {p} = 0", f"g % {p} = 1", "g % 1000 = 2"
    live = f"({overdue} OR {window} OR {matches})"
    in_area = f"({live} OR g % 2 = 0)"
    _returns(
        n,
        "'leaver'",
        f"CASE WHEN {live} THEN 'received' ELSE 'closed' END",
        "now() - interval '1 day' * (g % 700)",
        {},
    )
    deletion = f"CASE WHEN {overdue} THEN {d(60)} WHEN {live} THEN {d(1)} ELSE {d('g % 700')} END"
    insert_series(
        LeaverReturn,
        n,
        {
            "schoolreturn_ptr_id": "g",
            "ground": "'a'",
            "ground_met_date": deletion,
            "deletion_date": deletion,
            "destination_type": f"CASE WHEN {in_area} THEN 'in_area' ELSE 'out_of_area' END",
            "destination_school_id": f"CASE WHEN {in_area} THEN 1 + (g + 7) % {N_SCHOOLS} END",
        },
    )
    # The joiners that answer the matched leavers: same UPN, at the destination school.
    m = n // 1000
    offset = n
    _returns(
        m,
        "'joiner'",
        "'received'",
        "now()",
        {
            "id": f"{offset} + g",
            "reference": f"'NP-' || ({offset} + g)",
            "school_id": f"1 + (g * 1000 + 2 + 7) % {N_SCHOOLS}",
            "upn": "'A' || lpad((g * 1000 + 2)::text, 12, '0')",
        },
    )
    insert_series(
        JoinerReturn,
        m,
        {"schoolreturn_ptr_id": f"{offset} + g", "admission_date": d(0)},
    )
    analyze("schools_schoolreturn", "schools_leaverreturn", "schools_joinerreturn")


def fill_late(n: int, per_mille: int) -> None:
    """n joiner and leaver returns (half each): ``per_mille`` late and not yet recorded, one
    in a thousand leavers submitted after the deletion but not marked late; the rest on
    time, or late and recorded long ago."""
    from schools.models import JoinerReturn, LeaverReturn

    truncate("schools_schoolreturn", "referrals_referral")
    p = 1000 // per_mille
    late, unmarked = f"g % {2 * p} IN (0, {p + 1})", "g % 1000 = 3"
    kind = "CASE WHEN g % 2 = 0 THEN 'joiner' ELSE 'leaver' END"
    _returns(
        n,
        kind,
        "'closed'",
        f"CASE WHEN {unmarked} THEN now() ELSE now() - interval '1 day' * (10 + g % 700) END",
        {
            "is_late": f"({late} OR g % 50 = 5)",
            "late_notified_at": "CASE WHEN g % 50 = 5 THEN now() - interval '1 day' END",
        },
    )
    insert_series(
        JoinerReturn,
        n // 2,
        {"schoolreturn_ptr_id": "g * 2", "admission_date": d("20 + g % 700")},
    )
    deletion = f"CASE WHEN {unmarked.replace('g', '(g * 2 - 1)')} THEN {d(5)} ELSE {d(0)} END"
    insert_series(
        LeaverReturn,
        (n + 1) // 2,
        {
            "schoolreturn_ptr_id": "g * 2 - 1",
            "ground": "'g'",
            "ground_met_date": deletion,
            "deletion_date": deletion,
            "destination_type": "'out_of_area'",
        },
    )
    analyze("schools_schoolreturn", "schools_joinerreturn", "schools_leaverreturn")


def fill_part_time(n: int, per_mille: int) -> None:
    """n part-time timetables: ``per_mille`` open and past their review date, half as many
    past their planned end; one in twenty open and not yet due; the rest ended."""
    from schools.models import PartTimeTimetable

    truncate("schools_schoolreturn", "referrals_referral")
    p = 1000 // per_mille
    review, end = f"g % {p} = 0", f"g % {2 * p} = 1"
    is_open = f"({review} OR {end} OR g % 20 = 2)"
    _returns(
        n,
        "'part_time'",
        f"CASE WHEN {is_open} THEN 'received' ELSE 'closed' END",
        "now() - interval '1 day' * (g % 700)",
        {},
    )
    insert_series(
        PartTimeTimetable,
        n,
        {
            "schoolreturn_ptr_id": "g",
            "start_date": d(120),
            "planned_end_date": f"CASE WHEN {end} THEN {d(2)} ELSE {d(-30)} END",
            "hours_per_week": "15",
            "reason": "'medical'",
            "next_review_date": f"CASE WHEN {review} THEN {d(3)} ELSE {d(-14)} END",
            "ended_on": f"CASE WHEN {is_open} THEN NULL ELSE {d(5)} END",
        },
    )
    analyze("schools_schoolreturn", "schools_parttimetimetable")
