"""The email (and letter) outbox: cme.outbox.core; the providers in cme.outbox.smtp and
cme.outbox.notify (docs/decisions/005-job-outbox.md, 011-notify.md)."""

from cme.outbox.core import (
    FINAL_STATUSES,
    LONG_PENDING,
    MAX_ATTEMPTS,
    NOT_DELIVERED_STATUSES,
    SEND_BATCH,
    STALE_CLAIM,
    Claimed,
    PermanentError,
    ServiceDown,
    backoff,
    deliver_after_commit,
    not_delivered,
    queue_email,
    queue_letter,
    retry,
    send_batch,
    send_due,
)

__all__ = [
    "FINAL_STATUSES",
    "LONG_PENDING",
    "MAX_ATTEMPTS",
    "NOT_DELIVERED_STATUSES",
    "SEND_BATCH",
    "STALE_CLAIM",
    "Claimed",
    "PermanentError",
    "ServiceDown",
    "backoff",
    "deliver_after_commit",
    "not_delivered",
    "queue_email",
    "queue_letter",
    "retry",
    "send_batch",
    "send_due",
]
