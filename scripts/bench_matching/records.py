"""What every data set of the matching bench is: known records, queries, and the truth."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Model


@dataclass
class Record:
    """One person as a record holds them (a Child row, or a referral's child)."""

    id: int
    entity: int  # the same person: the same entity
    first_name: str = ""
    middle_names: str = ""
    last_name: str = ""
    other_names: str = ""
    date_of_birth: date | None = None
    gender: str = ""
    nhs_number: str = ""
    upn: str = ""
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""


def fitted(record: Record, model: type[Model], extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """The record's fields as a `model` row (a Child, a Referral) takes them: the child's
    identity and address as a referral asks them, and `extra`; each text cut to its column."""
    from referrals.models import Referral

    found = {}
    for name in (*Referral.CHILD_IDENTITY_FIELDS, *Referral.CHILD_ADDRESS_FIELDS, *extra):
        value = getattr(record, name)
        length = getattr(model._meta.get_field(name), "max_length", None)
        found[name] = value[:length] if isinstance(value, str) and length else value
    return found


@dataclass
class DataSet:
    """``queries`` are matched against ``known``; in a deduplication they are the same
    list (a record is never its own match). Pairs are (query id, known id)."""

    name: str
    known: list[Record]
    queries: list[Record]
    dedupe: bool = False
    #: (query id, known id) pairs that are twins or siblings of each other.
    twins: set[tuple[int, int]] = field(default_factory=set)
    siblings: set[tuple[int, int]] = field(default_factory=set)
    note: str = ""

    def true_pairs(self) -> set[tuple[int, int]]:
        by_entity: dict[int, list[int]] = {}
        for rec in self.known:
            by_entity.setdefault(rec.entity, []).append(rec.id)
        pairs = {(q.id, k) for q in self.queries for k in by_entity.get(q.entity, []) if k != q.id}
        return {pair_key(*p, dedupe=self.dedupe) for p in pairs}


def pair_key(query: int, known: int, *, dedupe: bool) -> tuple[int, int]:
    """In a deduplication (a, b) and (b, a) are one pair."""
    return (min(query, known), max(query, known)) if dedupe else (query, known)


@dataclass
class Metrics:
    precision: float
    recall: float
    f1: float
    blocking_recall: float
    twin_fp: float | None  # share of twin pairs proposed unflagged (None: no twins in the set)
    sibling_fp: float | None
    ms_per_query: float
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def counts(self) -> str:
        """The pairs behind P, R and F1 (F1 to four places, where two round alike)."""
        return (
            f"TP {self.true_positives}, FP {self.false_positives}, "
            f"FN {self.false_negatives}, F1 {self.f1:.4f}"
        )


def _rate(hits: int, total: int) -> float | None:
    return hits / total if total else None


def metrics(
    data: DataSet,
    predicted: set[tuple[int, int]],
    blocked: set[tuple[int, int]],
    ms_per_query: float,
) -> Metrics:
    """Precision, recall and F1 of ``predicted`` against the truth; blocking recall of
    ``blocked`` (the candidate pairs); twin and sibling pairs among the predicted."""
    truth = data.true_pairs()
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    twins = {pair_key(*p, dedupe=data.dedupe) for p in data.twins}
    siblings = {pair_key(*p, dedupe=data.dedupe) for p in data.siblings}
    return Metrics(
        precision=precision,
        recall=recall,
        f1=f1,
        blocking_recall=len(blocked & truth) / len(truth) if truth else 0.0,
        twin_fp=_rate(len(predicted & twins), len(twins)),
        sibling_fp=_rate(len(predicted & siblings), len(siblings)),
        ms_per_query=ms_per_query,
        true_positives=tp,
        false_positives=len(predicted) - tp,
        false_negatives=len(truth) - tp,
    )
