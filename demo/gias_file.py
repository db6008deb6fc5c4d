"""A GIAS establishment file of any size in the published layout, for `make bench-gias` and
the tests: the national ``edubasealldata`` file is about 50,000 rows and 40 to 60 MB.

The header and every column not listed in :func:`generated_row` are copied from a real
extract (tests/data/gias/, the newest layout first), so the file is as wide and as quoted as
GIAS's own; the establishments themselves are made up: names from a word list, URNs counted
up from 100000 (as GIAS's are), types drawn from every type of the national list of January
2025, about four in ten closed (the national file keeps closed establishments), and a close
date wherever the status is closed or proposed to close. Written in Windows-1252 with CRLF
line ends, as GIAS writes.

    .venv/bin/python -m demo.gias_file OUT.csv [--rows 50000] [--seed 1]
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "gias"
#: The real extracts whose layout and filler values are copied: the newest layout first.
TEMPLATES = (DATA / "ittms_gias_subset.csv", DATA / "npq_gias_sample.csv")
TYPES_FILE = DATA / "establishment_types_20250109.csv"

NATIONAL_ROWS = 50_000
FIRST_URN = 100_000

# (type name, relative weight), roughly as the national file has them.
_WEIGHTS = {
    "Community school": 20,
    "Voluntary aided school": 8,
    "Voluntary controlled school": 5,
    "Foundation school": 4,
    "Academy converter": 14,
    "Academy sponsor led": 4,
    "Other independent school": 7,
    "Further education": 2,
    "Welsh establishment": 4,
    "British schools overseas": 1,
}
_STATUSES = (
    ("1", "Open", 55),
    ("2", "Closed", 40),
    ("3", "Open, but proposed to close", 2),
    ("4", "Proposed to open", 3),
)
_PHASES = ("Primary", "Secondary", "Not applicable", "All-through", "Nursery", "16 plus")
_WORDS = (
    "Alder", "Ash", "Beech", "Birch", "Cedar", "Elm", "Hazel", "Holly", "Larch", "Maple",
    "Oak", "Rowan", "Willow", "Yew", "Brook", "Meadow", "Hill", "Vale", "Park", "Green",
    "St Mary\u2019s", "Ecole Fran\u00e7aise", "Ysgol",
)  # fmt: skip
_TOWNS = ("Exampleton", "Sampleford", "Testbury", "Mockley", "Dummington", "Fauxham")
_ENGLISH_LAS = (
    tuple(range(201, 214))
    + tuple(range(301, 321))
    + tuple(range(330, 395))
    + tuple(range(800, 939))
)
_WELSH_LAS = tuple(range(660, 682))
_PEOPLE = ("HeadTitle (name)", "HeadFirstName", "HeadLastName", "TelephoneNum", "SchoolWebsite")
_ABROAD = {"British schools overseas", "Offshore schools", "Service children's education"}


def _types() -> list[tuple[str, str, str, str]]:
    """(type code, type name, group code, group name) of every type in the national list."""
    seen: dict[str, tuple[str, str, str, str]] = {}
    with TYPES_FILE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            name = row["type-of-establishment-name"]
            seen.setdefault(
                name,
                (
                    row["type-of-establishment-code"],
                    name,
                    row["establishment-type-group-code"],
                    row["establishment-type-group-name"],
                ),
            )
    return list(seen.values())


def read_template(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="cp1252", newline="") as f:
        header, *rows = list(csv.reader(f))
    return header, rows


def generated_row(
    header: Sequence[str],
    filler: Sequence[str],
    urn: int,
    rng: random.Random,
    types: Sequence[tuple[str, str, str, str]],
) -> list[str]:
    """One made-up establishment, in the columns of `header`, other values from `filler`."""
    values = dict(zip(header, filler, strict=False))
    for column in _PEOPLE:  # real heads' names and numbers are not copied onto made-up schools
        values[column] = ""
    weights = [_WEIGHTS.get(t[1], 1) for t in types]
    type_code, type_name, group_code, group_name = rng.choices(types, weights)[0]
    status_code, status, _ = rng.choices(_STATUSES, [s[2] for s in _STATUSES])[0]
    if type_name in _ABROAD:
        la = "0"  # GIAS writes "Does not apply" as 0, without leading zeros
    elif type_name == "Welsh establishment":
        la = str(rng.choice(_WELSH_LAS))
    else:
        la = str(rng.choice(_ENGLISH_LAS))
    opened = date(1990, 1, 1) + timedelta(days=rng.randrange(12_000))
    closes = status in {"Closed", "Open, but proposed to close"}
    close = opened + timedelta(days=rng.randrange(1, 3_000)) if closes else None
    values.update(
        {
            "URN": str(urn),
            "LA (code)": la,
            "EstablishmentNumber": str(rng.randrange(1000, 8000)),
            "EstablishmentName": f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} School {urn}",
            "TypeOfEstablishment (code)": type_code,
            "TypeOfEstablishment (name)": type_name,
            "EstablishmentTypeGroup (code)": group_code,
            "EstablishmentTypeGroup (name)": group_name,
            "EstablishmentStatus (code)": status_code,
            "EstablishmentStatus (name)": status,
            "OpenDate": opened.strftime("%d-%m-%Y"),
            "CloseDate": close.strftime("%d-%m-%Y") if close else "",
            "PhaseOfEducation (name)": rng.choice(_PHASES),
            "Town": rng.choice(_TOWNS),
            "Postcode": f"EX{rng.randrange(1, 40)} {rng.randrange(10)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}",
        }
    )
    return [values.get(column, "") for column in header]


def gias_rows(rows: int, *, seed: int = 1, first_urn: int = FIRST_URN) -> Iterator[list[str]]:
    """The header, then `rows` made-up establishments, in the newest real layout."""
    rng = random.Random(seed)  # made-up data, not security
    header, _ = read_template(TEMPLATES[0])
    fillers = []
    for path in TEMPLATES:
        template_header, template_rows = read_template(path)
        fillers += [
            [dict(zip(template_header, row, strict=False)).get(col, "") for col in header]
            for row in template_rows
        ]
    types = _types()
    yield header
    for i in range(rows):
        yield generated_row(header, fillers[i % len(fillers)], first_urn + i, rng, types)


def write_gias_file(path: Path, rows: int, *, seed: int = 1, first_urn: int = FIRST_URN) -> Path:
    with path.open("w", encoding="cp1252", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(
            gias_rows(rows, seed=seed, first_urn=first_urn)
        )
    return path


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=NATIONAL_ROWS)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    write_gias_file(args.out, args.rows, seed=args.seed)
    print(f"{args.out}: {args.rows} rows, {args.out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
