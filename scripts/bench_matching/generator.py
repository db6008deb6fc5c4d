"""A seeded UK-shaped data set: ~2,300 known children in families, ~2,000 referrals.

Families share a surname and an address; some have twins (the same date of birth and
address, a different first name) and siblings. A referral is about a known child (its
record with the errors referrers make: typos, nicknames, a changed surname, a one-digit
date of birth, day and month swapped, no date of birth, a move, first and last names
swapped, diacritics dropped) or about a child we do not know, who may be the twin or
sibling of a known child: the matcher must not propose those as the same child.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import replace
from datetime import date, timedelta

from bench_matching.names import AREAS, GROUPS, NICKNAMES, STREETS, TOWNS, WEIGHTS
from bench_matching.records import DataSet, Record

#: How often each error is made on a referral about a known child.
ERRORS = {
    "first_typo": 0.10,
    "nickname": 0.08,
    "last_typo": 0.08,
    "surname_changed": 0.06,
    "dob_digit": 0.05,
    "dob_swapped": 0.03,
    "dob_missing": 0.05,
    "moved": 0.15,
    "names_swapped": 0.03,
    "ascii_only": 0.5,  # of names with diacritics
    "postcode_missing": 0.04,
}
_TWIN_SHARE = 0.09  # of families with two or more children
_KEYS = "qwertyuiopasdfghjklzxcvbnm"


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.next_id = 0
        self.next_entity = 0

    # ------------------------------------------------------------------ people
    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def _entity(self) -> int:
        self.next_entity += 1
        return self.next_entity

    def group(self) -> str:
        return self.rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]

    def first_name(self, group: str, gender: str) -> str:
        girls, boys, _ = GROUPS[group]
        return self.rng.choice(girls if gender == "F" else boys)

    def nhs(self) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(10))

    def address(self) -> tuple[str, str, str]:
        i = self.rng.randrange(len(TOWNS))
        postcode = (
            f"{AREAS[i]}{self.rng.randint(1, 20)} {self.rng.randint(1, 9)}"
            f"{self.rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{self.rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        )
        return f"{self.rng.randint(1, 180)} {self.rng.choice(STREETS)}", TOWNS[i], postcode

    def child(self, group: str, surname: str, home: tuple[str, str, str], dob: date) -> Record:
        gender = self.rng.choice("FM")
        line, town, postcode = home
        girls, boys, _ = GROUPS[group]
        middle = (
            self.rng.choice(girls if gender == "F" else boys) if self.rng.random() < 0.3 else ""
        )
        return Record(
            id=self._id(),
            entity=self._entity(),
            first_name=self.first_name(group, gender),
            middle_names=middle,
            last_name=surname,
            date_of_birth=dob,
            gender=gender,
            nhs_number=self.nhs(),
            address_line_1=line,
            town=town,
            postcode=postcode,
        )

    def family(self) -> list[Record]:
        group = self.group()
        surname = self.rng.choice(GROUPS[group][2])
        home = self.address()
        size = self.rng.choices([1, 2, 3, 4], weights=[45, 35, 15, 5])[0]
        first_dob = date(2008, 9, 1) + timedelta(days=self.rng.randrange(365 * 12))
        kids = [self.child(group, surname, home, first_dob)]
        if size > 1 and self.rng.random() < _TWIN_SHARE:
            kids.append(self._named_apart(self.child(group, surname, home, first_dob), kids))
        while len(kids) < size:
            gap = timedelta(days=self.rng.randint(300, 365 * 6))
            dob = kids[-1].date_of_birth + gap if kids[-1].date_of_birth else first_dob
            # A half-sibling may have another surname.
            name = surname if self.rng.random() < 0.9 else self.rng.choice(GROUPS[group][2])
            kids.append(self._named_apart(self.child(group, name, home, dob), kids))
        return kids

    def _named_apart(self, child: Record, family: list[Record]) -> Record:
        """Parents do not give two of their children the same first name."""
        group = next((g for g, (_, _, s) in GROUPS.items() if child.last_name in s), "british")
        taken = {c.first_name for c in family}
        while child.first_name in taken:
            child = replace(child, first_name=self.first_name(group, child.gender))
        return child

    # ------------------------------------------------------------------ errors
    def typo(self, value: str) -> str:
        if len(value) < 3:
            return value
        i = self.rng.randrange(1, len(value))
        kind = self.rng.choice(["swap", "drop", "replace", "double"])
        if kind == "swap" and i < len(value) - 1:
            return value[:i] + value[i + 1] + value[i] + value[i + 2 :]
        if kind == "drop":
            return value[:i] + value[i + 1 :]
        if kind == "double":
            return value[:i] + value[i] + value[i:]
        return value[:i] + self.rng.choice(_KEYS) + value[i + 1 :]

    def dob_digit(self, dob: date) -> date:
        text = dob.strftime("%Y%m%d")
        for _ in range(20):
            i = self.rng.choice([3, 5, 6, 7])
            new = text[:i] + str(self.rng.randrange(10)) + text[i + 1 :]
            try:
                moved = date(int(new[:4]), int(new[4:6]), int(new[6:]))
            except ValueError:
                continue
            if moved != dob:
                return moved
        return dob

    def referral_of(self, known: Record) -> Record:
        """What a referrer writes about a known child."""
        rng = self.rng
        rec = replace(known, id=self._id(), middle_names="", nhs_number="", upn="")
        if rng.random() < 0.35:
            rec.nhs_number = known.nhs_number
        if rng.random() < 0.25:
            rec.gender = ""
        self._name_errors(rec, known)
        self._dob_errors(rec)
        self._address_errors(rec)
        return rec

    def _name_errors(self, rec: Record, known: Record) -> None:
        rng, e = self.rng, ERRORS
        if rng.random() < e["nickname"] and rec.first_name in NICKNAMES:
            rec.first_name = rng.choice(NICKNAMES[rec.first_name])
        elif rng.random() < e["first_typo"]:
            rec.first_name = self.typo(rec.first_name)
        if rng.random() < e["surname_changed"]:
            rec.last_name = rng.choice(GROUPS[self.group()][2])
            if rng.random() < 0.5:
                rec.other_names = known.last_name
        elif rng.random() < e["last_typo"]:
            rec.last_name = self.typo(rec.last_name)
        if rng.random() < e["names_swapped"]:
            rec.first_name, rec.last_name = rec.last_name, rec.first_name
        if rng.random() < e["ascii_only"]:
            rec.first_name, rec.last_name = _ascii(rec.first_name), _ascii(rec.last_name)

    def _dob_errors(self, rec: Record) -> None:
        e, d = ERRORS, rec.date_of_birth
        if d is None:
            return
        r = self.rng.random()
        if r < e["dob_missing"]:
            rec.date_of_birth = None
        elif r < e["dob_missing"] + e["dob_digit"]:
            rec.date_of_birth = self.dob_digit(d)
        elif r < e["dob_missing"] + e["dob_digit"] + e["dob_swapped"] and d.day <= 12:
            rec.date_of_birth = d.replace(day=d.month, month=d.day)

    def _address_errors(self, rec: Record) -> None:
        rng = self.rng
        if rng.random() < ERRORS["moved"]:
            rec.address_line_1, rec.town, rec.postcode = self.address()
        elif rng.random() < 0.3:
            rec.postcode = rec.postcode.replace(" ", "")
        if rng.random() < ERRORS["postcode_missing"]:
            rec.postcode = ""

    def new_child_like(
        self, known: Record, *, twin: bool, family: list[Record] | None = None
    ) -> Record:
        """A child we do not know in a known child's family (a twin or a sibling)."""
        dob = known.date_of_birth
        if not twin and dob:
            dob = dob + timedelta(days=self.rng.choice([-1, 1]) * self.rng.randint(300, 2000))
        home = (known.address_line_1, known.town, known.postcode)
        group = next((g for g, (_, _, s) in GROUPS.items() if known.last_name in s), "british")
        other = self._named_apart(
            self.child(group, known.last_name, home, dob or date(2012, 1, 1)), family or [known]
        )
        if self.rng.random() < 0.3:
            other = replace(other, nhs_number="", gender="")
        if not twin and self.rng.random() < 0.15:
            other = replace(other, date_of_birth=None)
        return replace(other, middle_names="", nhs_number="")


def _ascii(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ł", "l")


def generate(seed: int, *, children: int = 2300, referrals: int = 2000) -> DataSet:
    """The data set for ``seed``: known children, referrals, twin and sibling pairs."""
    gen = Generator(seed)
    families: list[list[Record]] = []
    while sum(len(f) for f in families) < children:
        families.append(gen.family())
    known = [c for f in families for c in f]
    home_of = {c.id: i for i, f in enumerate(families) for c in f}
    queries: list[Record] = []
    twins: set[tuple[int, int]] = set()
    siblings: set[tuple[int, int]] = set()

    def relate(query: Record, true_dob: date | None, entity: int, family: list[Record]) -> None:
        """The query's twins (the same true date of birth) and siblings in the family."""
        for c in family:
            if c.entity != entity:
                same_dob = c.date_of_birth is not None and c.date_of_birth == true_dob
                (twins if same_dob else siblings).add((query.id, c.id))

    twin_children = [
        c for f in families for c in f if sum(x.date_of_birth == c.date_of_birth for x in f) > 1
    ]
    family_children = [c for f in families if len(f) > 1 for c in f]
    while len(queries) < referrals:
        r = gen.rng.random()
        if r < 0.70:
            pool = twin_children if gen.rng.random() < 0.08 else known
            target = gen.rng.choice(pool)
            query = gen.referral_of(target)
            relate(query, target.date_of_birth, target.entity, families[home_of[target.id]])
        elif r < 0.80:
            target = gen.rng.choice(known)
            twin = gen.new_child_like(target, twin=True, family=families[home_of[target.id]])
            query = gen.referral_of(twin)
            relate(query, target.date_of_birth, twin.entity, families[home_of[target.id]])
        elif r < 0.90:
            target = gen.rng.choice(family_children or known)
            sibling = gen.new_child_like(target, twin=False, family=families[home_of[target.id]])
            query = gen.referral_of(sibling)
            relate(query, sibling.date_of_birth, sibling.entity, families[home_of[target.id]])
        else:  # a child of a family we do not know
            query = gen.referral_of(gen.family()[0])
        queries.append(query)
    return DataSet(
        name=f"UK-shaped (seed {seed})",
        known=known,
        queries=queries,
        twins=twins,
        siblings=siblings,
    )
