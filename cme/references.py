"""References people quote (a return's, a referral's, a case's): one way to make them and one
way to store a row with a new one.

A reference is a two-letter prefix and eight characters, ``NP-7KQ3-M2XW``: random, so it
reveals no volumes, and unique in its table (the database's unique constraint decides). A
collision is one in 10^11: rather than look before inserting (which races: two requests
can both find a reference free), the row is inserted in a savepoint and, if the insert
fails because another row has that reference, tried again with another.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction

# No 0/O, 1/I/L, 5/S: references are read out over the phone.
ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
ATTEMPTS = 5

_M = TypeVar("_M", bound=models.Model)


def new_reference(prefix: str) -> str:
    """A short reference a school can quote: not sequential, so it reveals no volumes."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{prefix}-{body[:4]}-{body[4:]}"


def _forget_pk(instance: models.Model) -> None:
    """After a failed insert: the instance is new again (its own and its parents' ids)."""
    meta = instance._meta
    for parent, link in meta.parents.items():
        parent_pk = parent._meta.pk
        if isinstance(parent_pk, models.Field):
            setattr(instance, parent_pk.attname, None)
        if isinstance(link, models.Field):
            setattr(instance, link.attname, None)
    instance.pk = None
    instance._state.adding = True


def save_with_reference(
    instance: _M,
    prefix: str,
    *,
    reference: str | None = None,
    field: str = "reference",
    save: Callable[[_M], Any] | None = None,
) -> _M:
    """Give ``instance`` a new reference (``prefix``) and insert it, with whatever ``save``
    does (default: ``instance.save()``; e.g. its parents/carers too), in a savepoint. If the
    insert fails and another row has that reference, try again with another (up to
    `ATTEMPTS` times); any other IntegrityError is raised, nothing of the attempt kept.

    ``reference``: a fixed reference (the demo data), never replaced."""
    # The table the reference is unique in (a multi-table child's parent, for a return).
    manager = instance._meta.get_field(field).model._default_manager
    for attempt in range(ATTEMPTS):
        setattr(instance, field, reference or new_reference(prefix))
        try:
            with transaction.atomic():
                if save is None:
                    instance.save()
                else:
                    save(instance)
        except IntegrityError:
            # The savepoint is rolled back: a row with this reference is another's.
            taken = manager.filter(**{field: getattr(instance, field)}).exists()
            _forget_pk(instance)
            if reference is not None or attempt == ATTEMPTS - 1 or not taken:
                raise
            continue
        return instance
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def create_with_reference(model: type[_M], prefix: str, **fields: Any) -> _M:
    """``model(**fields)`` inserted with a new reference (`save_with_reference`)."""
    return save_with_reference(model(**fields), prefix)
