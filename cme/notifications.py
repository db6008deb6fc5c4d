"""Tell people things: in the app always, by email when asked. Idempotent by key.

The OUTBOX design (docs/decisions/005-job-outbox.md):

* Writing a notification is the only thing a request or a scheduled sweep does: one row per
  person and key (the unique constraint makes it once, however often it runs), with
  ``email_wanted`` set when it is to be emailed. A sweep writes all of its rows with one
  ``INSERT ... SELECT ... ON CONFLICT (user_id, key) DO NOTHING`` (`insert_notifications`);
  `notify` does the same for a few people.
* Email goes out later, from the outbox: `deliver_pending` claims the rows with
  ``emailed_at IS NULL AND email_wanted`` with one conditional ``UPDATE ... RETURNING`` (on
  PostgreSQL over ``FOR UPDATE SKIP LOCKED``), so two deliveries at once email each row once,
  then sends one email per row (subject = title, which carries no personal data). The task
  ``cme.tasks.deliver_notifications`` runs it: enqueued after the commit of whatever wrote
  the rows (`cme.outbox.deliver_after_commit`; a broker outage is logged, never raised) and from beat
  every few minutes, which also picks up anything a broker outage left.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cme.models import Notification, Role, User
from cme.outbox import deliver_after_commit, send_due
from cme.selectors import active_users

log = logging.getLogger(__name__)

#: Notifications claimed and emailed per `deliver_pending` call.
DELIVERY_BATCH = 500


def json_rows(alias: str, columns: Sequence[tuple[str, str]]) -> str:
    """SQL for a table ``alias`` read from one JSON parameter (a list of objects), the same
    on PostgreSQL (json_to_recordset) and SQLite (json_each). ``columns``: (name, pg type)."""
    if connection.vendor == "postgresql":
        cols = ", ".join(f"{name} {kind}" for name, kind in columns)
        return f"json_to_recordset(%s::json) AS {alias}({cols})"
    cols = ", ".join(f"json_extract(value, '$.{name}') AS {name}" for name, _ in columns)
    return f"(SELECT {cols} FROM json_each(%s)) AS {alias}"  # noqa: S608 - our names


_ROW_COLUMNS = (
    ("user_id", "bigint"),
    ("team", "boolean"),
    ("key", "text"),
    ("title", "text"),
    ("body", "text"),
    ("url", "text"),
)


@dataclass(frozen=True)
class Audience:
    """A group a notification row can be addressed to by one id, such as a school's staff
    (``school_id``): the rows of a membership table whose ``key_column`` is that id, each
    naming one user. The app that owns the table registers it in its ``AppConfig.ready()``
    (`register_audience`), since the core imports no app."""

    name: str
    table: Callable[[], str]
    key_column: str
    user_column: str = "user_id"


_audiences: dict[str, Audience] = {}


def register_audience(
    name: str, *, table: Callable[[], str], key_column: str, user_column: str = "user_id"
) -> None:
    """Let notification rows give ``name`` (an id): every active user of ``table`` whose
    ``key_column`` is that id gets the notification. ``table`` is called at insert time."""
    _audiences[name] = Audience(name, table, key_column, user_column)


def insert_notifications(
    rows: Sequence[dict[str, Any]], *, team_roles: Sequence[str] = (), email: bool = True
) -> list[int]:
    """Store many notifications in ONE ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` and
    return the ids of the new ones. Each row gives ``key``, ``title``, ``body``, ``url`` and its
    audience: ``user_id`` (one person), a registered audience's id (`register_audience`:
    ``school_id``, the school's active staff) and/or ``team`` (every active user with a role in
    ``team_roles``). Inactive users get nothing;
    a person and key already stored (or twice in ``rows``) is stored once."""
    if not rows:
        return []
    qn = connection.ops.quote_name
    table = qn(Notification._meta.db_table)
    users = qn(User._meta.db_table)
    audiences = list(_audiences.values())
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    fields = "r.key, r.title, r.body, r.url"
    roles = list(team_roles) or [""]
    role_marks = ", ".join(["%s"] * len(roles))
    data = json.dumps(
        [
            {
                "user_id": row.get("user_id"),
                **{a.name: row.get(a.name) for a in audiences},
                "team": bool(row.get("team")),
                "key": row["key"],
                "title": row["title"],
                "body": row.get("body", ""),
                "url": row.get("url", ""),
            }
            for row in rows
        ]
    )
    source = json_rows("r", [*_ROW_COLUMNS, *((a.name, "bigint") for a in audiences)])
    insert = (
        f"INSERT INTO {table} (user_id, {qn('key')}, title, body, url, created_at, email_wanted) "
    )
    conflict = f" ON CONFLICT (user_id, {qn('key')}) DO NOTHING RETURNING id"
    params: list[Any]
    if all(row.get(a.name) is None for a in audiences for row in rows) and not any(
        row.get("team") for row in rows
    ):
        # Each row to one person (the sweeps' summaries): no audience to expand.
        sql = (
            f"{insert}SELECT r.user_id, {fields}, %s, %s FROM {source} "  # noqa: S608
            f"JOIN {users} u ON u.id = r.user_id WHERE u.is_active{conflict}"
        )
        params = [now, email, data]
    else:
        # The rows are read from the JSON once (a CTE), then joined with each audience.
        groups = "".join(
            f" UNION ALL SELECT m.{qn(a.user_column)}, {fields} FROM r "  # noqa: S608 - names from apps
            f"  JOIN {qn(a.table())} m ON m.{qn(a.key_column)} = r.{a.name} "
            f"  JOIN {users} u ON u.id = m.{qn(a.user_column)} WHERE u.is_active"
            for a in audiences
        )
        sql = (
            f"WITH r AS (SELECT * FROM {source}) {insert}"  # noqa: S608 - names from _meta
            f"SELECT x.user_id, x.key, x.title, x.body, x.url, %s, %s FROM ("
            f" SELECT r.user_id, {fields} FROM r JOIN {users} u ON u.id = r.user_id"
            "  WHERE u.is_active"
            f"{groups}"
            f" UNION ALL SELECT u.id, {fields} FROM r CROSS JOIN {users} u "
            f"  WHERE r.team AND u.is_active AND u.role IN ({role_marks})"
            f") x WHERE true{conflict}"
        )
        params = [data, now, email, *roles]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        created = [row[0] for row in cursor.fetchall()]
    if email and created:
        deliver_after_commit()
    return created


#: At most this many references listed in a sweep's summary notification.
SUMMARY_MAX_REFERENCES = 20


def insert_summaries(
    job: str,
    today: Any,
    refs_by_user: Mapping[int, Iterable[str]],
    *,
    noun: str,
    what: str,
    url_for: Callable[[int], str],
    note: str = "",
    email: bool = True,
) -> int:
    """ONE notification per recipient for a sweep's run (the product rule of
    docs/decisions/005-job-outbox.md: no notification storms): key ``<job>:<user id>:<date>``,
    the count of that person's flagged rows, up to `SUMMARY_MAX_REFERENCES` references and a
    link to the filtered list (``url_for(user_id)``), then ``note``. All of them in ONE
    ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``: a second run the same day stores
    nothing. The title carries counts only (it is the email subject). Returns how many were
    stored."""
    rows = []
    distinct: dict[int, list[str]] = {}  # by id(): a list shared by many (the managers') once
    for user_id, given in sorted(refs_by_user.items()):
        key = id(given)
        if key not in distinct:
            distinct[key] = sorted(set(given))
        refs = distinct[key]
        if not refs:
            continue
        count = len(refs)
        shown = refs[:SUMMARY_MAX_REFERENCES]
        more = count - len(shown)
        plural = "s" if count != 1 else ""
        body = f"{count} {noun}{plural} {what}: " + ", ".join(shown)
        if more:
            body += f" and {more} more"
        rows.append(
            {
                "user_id": user_id,
                "key": f"{job}:{user_id}:{today:%Y-%m-%d}",
                "title": f"{count} {noun}{plural} {what}",
                "body": f"{body}. {note}".strip(),
                "url": url_for(user_id),
            }
        )
    return len(insert_notifications(rows, email=email))


def notify(
    users: Iterable[User],
    *,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Store a notification for each active user who has not had one with `key`; the outbox
    emails the new ones (if `email`) once this transaction commits.

    `title` is also the email subject, so it must carry no personal data (a reference, not a
    name). Returns the notifications created now (none if they all existed).
    """
    rows = [
        {"user_id": pk, "key": key, "title": title, "body": body, "url": url}
        for pk in sorted({u.pk for u in users if u.is_active})
    ]
    created = insert_notifications(rows, email=email)
    return list(Notification.objects.filter(pk__in=created)) if created else []


def _claim_pending(limit: int) -> list[tuple[int, int, str, str, str, str]]:
    """Mark up to ``limit`` notifications not yet in the email outbox as put there
    (``emailed_at``) and return them (id, user id, title, body, url, key): one conditional UPDATE,
    so a delivery running at the same time gets others. Called inside the transaction that
    writes their `OutboxEmail` rows: a failure leaves them unclaimed."""
    qn = connection.ops.quote_name
    table = qn(Notification._meta.db_table)
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET emailed_at = %s WHERE id IN ("  # noqa: S608 - name from _meta
            f" SELECT id FROM {table} WHERE emailed_at IS NULL AND email_wanted "
            f" ORDER BY id LIMIT %s{lock}) AND emailed_at IS NULL "
            "RETURNING id, user_id, title, body, url, key",
            [now, int(limit)],
        )
        return sorted(cursor.fetchall())


@transaction.atomic
def spool_pending(limit: int = DELIVERY_BATCH) -> int:
    """Move up to ``limit`` notifications that want an email into the email outbox
    (cme.outbox), one `OutboxEmail` each, in one transaction; return how many were claimed.
    Idempotent: a notification is claimed (``emailed_at``) by one run only."""
    from cme.models import OutboxEmail

    claimed = _claim_pending(limit)
    if not claimed:
        return 0
    emails = dict(
        User.objects.filter(pk__in={row[1] for row in claimed}, is_active=True).values_list(
            "pk", "email"
        )
    )
    rows = []
    for _pk, user_id, title, body, url, key in claimed:
        address = emails.get(user_id)
        if not address:
            continue
        link = f"{settings.CME_SITE_URL}{url}" if url.startswith("/") else url
        text = render_to_string(
            "emails/notification.txt",
            {"title": title, "body": body, "url": link, "SERVICE_NAME": settings.CME_SERVICE_NAME},
        )
        subject = f"{settings.CME_SERVICE_NAME}: {title}"[:200]
        rows.append(
            OutboxEmail(
                to=address,
                subject=subject,
                body=text,
                # The kind picks the GOV.UK Notify template (cme.outbox.notify).
                kind="escalation" if key.startswith("case-escalated:") else "notification",
                personalisation={"title": title, "url": link},
            )
        )
    OutboxEmail.objects.bulk_create(rows)
    log.debug("%s notifications put in the email outbox", len(claimed))
    return len(claimed)


def deliver_pending(limit: int = DELIVERY_BATCH) -> int:
    """Put up to ``limit`` notifications in the email outbox, then send what the outbox has
    due (cme.outbox.send_due: timeout, retries with back-off); return how many notifications
    were put in the outbox."""
    spooled = spool_pending(limit)
    send_due()
    return spooled


def deliver_all(limit: int = DELIVERY_BATCH, max_batches: int = 1000) -> int:
    """`spool_pending` until no notification is left, then send the outbox."""
    total = 0
    for _ in range(max_batches):
        spooled = spool_pending(limit)
        total += spooled
        if spooled < limit:
            break
    send_due()
    return total


def managers() -> list[User]:
    return list(active_users(Role.MANAGER))


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
