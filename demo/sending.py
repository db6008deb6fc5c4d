"""How the demo sends a school return: once, through ``return_submit``, under its fixed
reference and dated the day it was sent; then (a part-time timetable) its reviews. The
returns themselves are tables of ``Sent`` (demo/returns.py, demo/timetables.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from demo.base import (
    Ago,
    Parent,
    Pupil,
    Seed,
    aware,
    dated,
    fields_of,
    year_group,
)
from demo.people import DemoUser
from demo.schools import DemoSchool
from demo.values import resolve
from schools.models import (
    PartTimeTimetable,
    ReturnStatus,
    SchoolReturn,
    TimetableReview,
)
from schools.services import return_submit, timetable_review_record

#: A joiner's year group, worked out from the pupil's date of birth.
YEAR_GROUP = "<year group>"


def submit(
    seed: Seed,
    reference: str,
    school_return: SchoolReturn,
    *,
    school: DemoSchool,
    by: DemoUser,
    submitted_on: date,
    parents: list[dict[str, Any]],
    status: ReturnStatus | None = None,
    status_detail: str = "",
) -> tuple[SchoolReturn, bool]:
    """Submit a return through the service once, under a fixed reference and date."""
    found = SchoolReturn.objects.filter(reference=reference).first()
    if found is not None:
        seed.count(False)
        return found.detail(), False
    with dated(aware(submitted_on)):  # a referral the submission raises, raised then
        return_submit(
            school_return=school_return,
            school=seed.schools[school.urn],
            by=seed.users[by.email],
            parents=parents,
            reference=reference,
            submitted_at=aware(submitted_on),
        )
    if school_return.status == ReturnStatus.RECEIVED:
        # Not when a rule has already moved it on (a referral raised on submission).
        school_return.status = status or ReturnStatus.RECEIVED
        school_return.status_detail = status_detail
        school_return.save(update_fields=["status", "status_detail", "updated_at"])
    seed.count(True)
    return school_return, True


@dataclass(frozen=True)
class Returned:
    """The return with this reference (sent earlier in the same table)."""

    reference: str


@dataclass(frozen=True)
class Sent:
    """A return a school sent: its kind, the pupil (``Pupil()``), its own fields, who sent
    it and when, and (for a part-time timetable) the reviews recorded after."""

    reference: str
    model: type[SchoolReturn]
    pupil: Pupil
    fields: dict[str, Any]
    school: DemoSchool
    by: DemoUser
    submitted: Ago | date
    parents: list[Parent]
    status: ReturnStatus | None = None
    status_detail: str = ""
    reviews: tuple[dict[str, Any], ...] = field(default=())


def send(seed: Seed, sent: Sent) -> None:
    """Submit the return once (see ``submit``), then its reviews if it is new."""
    pupil_fields = resolve(seed, fields_of(sent.pupil))
    fields = resolve(seed, sent.fields)
    if fields.get("year_group") == YEAR_GROUP:
        fields["year_group"] = year_group(pupil_fields["date_of_birth"], seed.today)
    for name, value in fields.items():
        if isinstance(value, Returned):
            fields[name] = SchoolReturn.objects.get(reference=value.reference).detail()
    submitted = resolve(seed, {"on": sent.submitted})["on"]
    school_return, created = submit(
        seed,
        sent.reference,
        sent.model(**pupil_fields, **fields),
        school=sent.school,
        by=sent.by,
        submitted_on=submitted,
        parents=[fields_of(p) for p in sent.parents],
        status=sent.status,
        status_detail=sent.status_detail,
    )
    if created and sent.reviews:
        assert isinstance(school_return, PartTimeTimetable)  # noqa: S101
        for review in sent.reviews:
            timetable_review_record(
                timetable=school_return,
                review=TimetableReview(**resolve(seed, review)),
                by=seed.users[sent.by.email],
            )
