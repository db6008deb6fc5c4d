"""What the models of every app build on: the check constraints they repeat, and the fields a
record known by its reference, or holding a postal address, declares (one definition each)."""

from __future__ import annotations

from django.db import models
from django.utils.text import capfirst


def one_of(field: str, choices: type[models.Choices], name: str) -> models.CheckConstraint:
    """The database refuses a value of ``field`` that is not one of ``choices``."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=name)


def choices_valid(prefix: str, **fields: type[models.Choices]) -> list[models.BaseConstraint]:
    """``one_of`` for each field and its choices, named ``<prefix>_<field>_valid``."""
    return [one_of(field, choices, f"{prefix}_{field}_valid") for field, choices in fields.items()]


def not_before(
    field: str, other: str, name: str, *, strictly: bool = False, or_unset: bool = False
) -> models.CheckConstraint:
    """The database refuses a ``field`` before ``other`` (``strictly``: or equal to it); with
    ``or_unset``, an empty ``field`` is allowed."""
    condition = models.Q(**{f"{field}__{'gt' if strictly else 'gte'}": models.F(other)})
    if or_unset:
        condition = models.Q(**{f"{field}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name)


def implies(when: models.Q, then: models.Q, name: str) -> models.CheckConstraint:
    """The database refuses a row for which ``when`` holds but ``then`` does not."""
    return models.CheckConstraint(condition=~when | then, name=name)


class Referenced(models.Model):
    """A record people quote by its reference (cme.references makes it), shown as
    "Case CS-…", "Referral RF-…": its verbose name, then the reference."""

    reference = models.CharField(max_length=16, unique=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{capfirst(self._meta.verbose_name)} {self.reference}"


class PostalAddress(models.Model):
    """An address as typed: two lines, the town and the postcode, each optional."""

    address_line_1 = models.CharField(max_length=150, blank=True)
    address_line_2 = models.CharField(max_length=150, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        abstract = True

    @property
    def address_lines(self) -> list[str]:
        return [
            p for p in (self.address_line_1, self.address_line_2, self.town, self.postcode) if p
        ]

    @property
    def address(self) -> str:
        return ", ".join(self.address_lines)
