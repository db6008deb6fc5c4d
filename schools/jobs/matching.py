"""The unmatched-leavers check: joiner returns matched to in-area leavers, and the leavers
whose transition is overdue flagged (`schools.jobs.transitions`).

A joiner is linked to its leaver with one ``UPDATE ... FROM`` the matched pairs and one
UPDATE per side for the statuses, with both returns' history rows
(`schools.services.returns_link_matched`). The overdue leavers are flagged and
`schools.signals.returns_flagged` sent; referrals raises their referrals after the commit
(`referrals.jobs.raise_pending_referrals`).
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import connection, transaction

from cme.jobs import JobResult, job
from schools.jobs.sweeps import NOT_CLOSED, ids_param, references_where
from schools.jobs.transitions import claim_transitions, transition_where
from schools.models import DestinationType, JoinerReturn, LeaverReturn, ReturnKind, SchoolReturn
from schools.services import returns_link_matched
from schools.signals import returns_flagged

log = logging.getLogger(__name__)

#: A new school may admit a pupil (and make its joiner return) before the old school learns
#: of it and deletes; a joiner admitted earlier than this before the ground was met is an
#: earlier stay at that school, not this move.
MATCH_SLACK_DAYS = 28


def _match_pairs() -> list[tuple[int, int]]:
    """(leaver id, joiner id) for each unmatched in-area leaver with a joiner return from its
    destination school for the same pupil: the UPN when both returns give one, otherwise the
    names (ignoring case) and date of birth; the earliest admitted (then the first made) if
    several fit. ONE query, hash joins between the open leavers and the unmatched joiners,
    however many rows."""
    qn = connection.ops.quote_name
    returns = qn(SchoolReturn._meta.db_table)
    leavers = qn(LeaverReturn._meta.db_table)
    joiners = qn(JoinerReturn._meta.db_table)
    if connection.vendor == "postgresql":
        match_from = f"(lr.ground_met_date - {MATCH_SLACK_DAYS})"
    else:
        match_from = f"date(lr.ground_met_date, '-{MATCH_SLACK_DAYS} days')"
    statuses = ", ".join(["%s"] * len(NOT_CLOSED))
    sql = (
        "WITH l AS ("  # noqa: S608 - names from _meta
        f" SELECT r.id, lr.destination_school_id AS school_id, r.upn, lower(r.first_name) AS fk,"
        f"  lower(r.last_name) AS lk, r.date_of_birth AS dob, {match_from} AS match_from"
        f" FROM {returns} r JOIN {leavers} lr ON lr.schoolreturn_ptr_id = r.id"
        f" WHERE r.kind = %s AND r.status IN ({statuses}) AND lr.destination_type = %s"
        "  AND lr.destination_school_id IS NOT NULL"
        f"  AND NOT EXISTS (SELECT 1 FROM {joiners} m WHERE m.matched_leaver_id = r.id)"
        "), j AS ("
        " SELECT r.id, r.school_id, r.upn, lower(r.first_name) AS fk, lower(r.last_name) AS lk,"
        "  r.date_of_birth AS dob, jr.admission_date"
        f" FROM {joiners} jr JOIN {returns} r ON r.id = jr.schoolreturn_ptr_id"
        # r.kind (always "joiner" here) gives the planner the (kind, status) index to read
        # the joiner returns by, rather than every return.
        " WHERE jr.matched_leaver_id IS NULL AND r.kind = %s"
        "), c AS ("
        " SELECT l.id AS leaver_id, j.id AS joiner_id, j.admission_date FROM l"
        "  JOIN j ON j.school_id = l.school_id AND j.upn = l.upn"
        "  WHERE l.upn <> '' AND j.admission_date >= l.match_from"
        " UNION SELECT l.id, j.id, j.admission_date FROM l"
        "  JOIN j ON j.school_id = l.school_id AND j.fk = l.fk AND j.lk = l.lk AND j.dob = l.dob"
        "  WHERE (l.upn = '' OR j.upn = '') AND j.admission_date >= l.match_from"
        ") SELECT leaver_id, joiner_id FROM (SELECT leaver_id, joiner_id, ROW_NUMBER() OVER"
        " (PARTITION BY leaver_id ORDER BY admission_date, joiner_id) AS n FROM c) x"
        " WHERE n = 1 ORDER BY leaver_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [ReturnKind.LEAVER, *NOT_CLOSED, DestinationType.IN_AREA, ReturnKind.JOINER]
        )
        return [(leaver, joiner) for leaver, joiner in cursor.fetchall()]


@job(
    "unmatched_leavers",
    "Match joiner returns to in-area leavers; refer leavers with no joiner after N school days",
)
def unmatched_leavers(*, today: date, dry_run: bool) -> JobResult:
    result = JobResult(name="unmatched_leavers", dry_run=dry_run)
    pairs = _match_pairs()
    if dry_run:
        where, params = transition_where(today)
        if pairs:  # the leavers a joiner would be linked to are not overdue
            ids_sql, ids = ids_param([lv for lv, _ in pairs])
            where, params = f"{where} AND NOT (l.schoolreturn_ptr_id {ids_sql})", params + ids
        result.flagged = references_where(LeaverReturn, "l", where, params)
        return result
    with transaction.atomic():
        linked = returns_link_matched(pairs)
        if linked:
            log.info("unmatched_leavers: linked %d joiner returns to leavers", len(linked))
        rows = claim_transitions(today)
        result.flagged = sorted(reference for _, reference in rows)
        if rows:
            returns_flagged.send(sender=unmatched_leavers, job="unmatched_leavers")
    return result
