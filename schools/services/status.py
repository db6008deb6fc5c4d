"""A return's state as the school sees it (its status and the words beside it), and the
joiner-leaver link: the one place they are written. Each write records the returns' history
rows, the `.update()` paths with `cme.audit.record_history` (an UPDATE sends no signal).

Other apps tell a return what happened through these: referrals when they refer it
(`returns_mark_referred`), casework when its case closes or reopens
(`return_outcome_record`), triage when a referral is not CME (`return_status_set`), and the
matching sweep (`schools.jobs.matching`) when a joiner is linked to its leaver
(`returns_link_matched`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cme.audit import record_history
from cme.models import User
from cme.notifications import json_rows
from schools.models import JoinerReturn, LeaverReturn, ReturnStatus, SchoolReturn

REFERRED_DETAIL = "Referred to CME"
JOINER_MATCHED_DETAIL = "Matched with the previous school's leaver return"
LEAVER_MATCHED_DETAIL = "The new school has made its new pupil return"

#: A return already referred, or closed, keeps the status the school was shown when matched.
_OPEN_STATUSES = [ReturnStatus.RECEIVED, ReturnStatus.UNDER_REVIEW]


@transaction.atomic
def return_status_set(
    *, school_return: SchoolReturn, status: ReturnStatus, detail: str, by: User | None
) -> SchoolReturn:
    """Move a return to ``status`` with the words the school sees beside it, writing its
    history row: the one way another app (triage, a case) changes a return's status."""
    school_return.status = status
    school_return.status_detail = detail[:200]
    school_return.updated_by = by
    # Outside a request (a job) the history middleware has no user: name who did it.
    school_return._history_user = by  # type: ignore[attr-defined]
    school_return.save(update_fields=["status", "status_detail", "updated_by", "updated_at"])
    return school_return


def return_outcome_record(
    *, school_return: SchoolReturn, outcome: str | None, by: User | None
) -> SchoolReturn:
    """What the case raised from a return made of the child, shown to the school (SCREENS:
    "Closed: on roll elsewhere"): ``outcome`` (the outcome's words) when the case closes;
    None when it reopens, so the return is "Referred to CME" again."""
    if outcome is None:
        return return_status_set(
            school_return=school_return,
            status=ReturnStatus.REFERRED,
            detail=REFERRED_DETAIL,
            by=by,
        )
    return return_status_set(
        school_return=school_return, status=ReturnStatus.CLOSED, detail=outcome, by=by
    )


def _record_histories(instances: Sequence[SchoolReturn]) -> None:
    """The history rows of ``instances`` (one per return, of its own kind where given: the
    table a save through it would write), one INSERT per kind."""
    by_pk: dict[int, SchoolReturn] = {}
    for instance in instances:
        if instance.pk not in by_pk or type(by_pk[instance.pk]) is SchoolReturn:
            by_pk[instance.pk] = instance
    by_kind: dict[type[SchoolReturn], list[SchoolReturn]] = defaultdict(list)
    for instance in by_pk.values():
        by_kind[type(instance)].append(instance)
    for same_kind in by_kind.values():
        record_history(same_kind)


def returns_mark_referred(school_returns: Sequence[SchoolReturn]) -> None:
    """Mark the returns "Referred to CME": ONE UPDATE, the objects given brought up to date
    (a return and its own kind may both be given), their history rows in one INSERT per kind."""
    if not school_returns:
        return
    now = timezone.now()
    SchoolReturn.objects.filter(pk__in={r.pk for r in school_returns}).update(
        status=ReturnStatus.REFERRED, status_detail=REFERRED_DETAIL, updated_at=now
    )
    for school_return in school_returns:
        school_return.status = ReturnStatus.REFERRED
        school_return.status_detail = REFERRED_DETAIL
        school_return.updated_at = now
    _record_histories(school_returns)


def _link_joiners(unique: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Set each joiner's leaver, where the joiner is still unlinked: one ``UPDATE ... FROM``
    the pairs; pair by pair if a leaver was linked to another joiner meanwhile."""
    qn = connection.ops.quote_name
    table = qn(JoinerReturn._meta.db_table)
    source = json_rows("p", [("leaver_id", "bigint"), ("joiner_id", "bigint")])
    data = json.dumps([{"leaver_id": lv, "joiner_id": j} for lv, j in unique])
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET matched_leaver_id = p.leaver_id FROM {source} "  # noqa: S608
                f"WHERE {table}.schoolreturn_ptr_id = p.joiner_id "
                f"AND {table}.matched_leaver_id IS NULL "
                "RETURNING matched_leaver_id, schoolreturn_ptr_id",
                [data],
            )
            return [(lv, j) for lv, j in cursor.fetchall()]
    except IntegrityError:
        # A leaver was linked to another joiner meanwhile (a run at the same time): pair by
        # pair, skipping those.
        linked = []
        for leaver_id, joiner_id in unique:
            try:
                with transaction.atomic():
                    if JoinerReturn.objects.filter(
                        pk=joiner_id, matched_leaver__isnull=True
                    ).update(matched_leaver_id=leaver_id):
                        linked.append((leaver_id, joiner_id))
            except IntegrityError:
                continue
        return linked


def returns_link_matched(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Link each joiner to its leaver ((leaver id, joiner id) pairs; each joiner at most
    once) and mark both matched where still open; return the pairs linked now. Set-based:
    one UPDATE for the links, one per side for the statuses, then both sides' history rows
    (read back in one query per side, written in one INSERT per side)."""
    seen: set[int] = set()
    unique = []
    for leaver_id, joiner_id in pairs:
        if joiner_id not in seen:
            seen.add(joiner_id)
            unique.append((leaver_id, joiner_id))
    if not unique:
        return []
    linked = _link_joiners(unique)
    if not linked:
        return []
    now = timezone.now()
    joiner_ids, leaver_ids = [j for _, j in linked], [lv for lv, _ in linked]
    for ids, detail in ((joiner_ids, JOINER_MATCHED_DETAIL), (leaver_ids, LEAVER_MATCHED_DETAIL)):
        SchoolReturn.objects.filter(pk__in=ids, status__in=_OPEN_STATUSES).update(
            status=ReturnStatus.MATCHED, status_detail=detail, updated_at=now
        )
    record_history(list(JoinerReturn.objects.filter(pk__in=joiner_ids).order_by("pk")))
    record_history(list(LeaverReturn.objects.filter(pk__in=leaver_ids).order_by("pk")))
    return linked
