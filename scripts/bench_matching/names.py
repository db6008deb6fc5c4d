"""Names, streets and towns for the UK-shaped generator, read from ``names.json`` (data, kept
apart from the code): (girls, boys, surnames) per background, how often each background is
drawn, nicknames, and the streets, towns and postcode areas addresses are made from. The
British surnames begin with the demo's ``COMMON_SURNAMES``, so both data sets share them."""

from __future__ import annotations

import json
from pathlib import Path

from demo.scale.context import COMMON_SURNAMES

_DATA = json.loads((Path(__file__).with_name("names.json")).read_text(encoding="utf-8"))

GROUPS: dict[str, tuple[list[str], list[str], list[str]]] = {
    name: (
        group["girls"],
        group["boys"],
        [*COMMON_SURNAMES, *group["surnames"]] if name == "british" else group["surnames"],
    )
    for name, group in _DATA["groups"].items()
}
#: Share of children from each background (an English city, roughly).
WEIGHTS: dict[str, int] = _DATA["weights"]
#: What the referrer may write for a first name (the matcher's own table is not used).
NICKNAMES: dict[str, list[str]] = _DATA["nicknames"]
STREETS: list[str] = _DATA["streets"]
TOWNS: list[str] = _DATA["towns"]
AREAS: list[str] = _DATA["areas"]
