"""A child's record made outside triage (the children-not-in-school register, issue 17):
casework owns Child, so the layers above make one through here."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from casework.matching import child_keys_save
from casework.models import Child
from cme.models import User

#: The details of a child :func:`child_record` takes, as a form or a school's return names
#: them (the UPN apart).
CHILD_DETAILS = (
    "first_name",
    "middle_names",
    "last_name",
    "date_of_birth",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
)


@transaction.atomic
def child_record(
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    address_line_1: str,
    town: str,
    postcode: str,
    by: User | None,
    middle_names: str = "",
    address_line_2: str = "",
    upn: str = "",
) -> Child:
    """The active record of this child (the same names and date of birth, case-insensitive),
    or a new one with its matching keys."""
    found = (
        Child.objects.filter(
            first_name__iexact=first_name,
            last_name__iexact=last_name,
            date_of_birth=date_of_birth,
            merged_into__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if found is not None:
        return found
    child = Child(
        first_name=first_name,
        middle_names=middle_names,
        last_name=last_name,
        date_of_birth=date_of_birth,
        address_line_1=address_line_1,
        address_line_2=address_line_2,
        town=town,
        postcode=postcode,
        upn=upn,
        created_by=by,
        updated_by=by,
    )
    child_keys_save(child, save=False)
    child.save()
    return child
