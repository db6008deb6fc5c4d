"""One run of ``seed_scale``: its random source, scale and day, and the fake people, addresses
and dates every table draws from (always in the same order, so one seed gives one data set)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any

from cme.statutory import enquiry_due_date

FULL_SCALE_CHILDREN = 100_000  # the counts below are per this many children

_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
_SPACE = len(_ALPHABET) ** 8
_MULT = 1_000_003  # prime, so coprime to 29**8: i -> i * _MULT mod 29**8 is one-to-one
_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

FIRST = [
    "Amelia",
    "Olivia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Rosie",
    "Sophia",
    "Grace",
    "Freya",
    "Poppy",
    "Evie",
    "Ella",
    "Oliver",
    "George",
    "Noah",
    "Arthur",
    "Muhammad",
    "Leo",
    "Oscar",
    "Harry",
    "Archie",
    "Jack",
    "Henry",
    "Charlie",
    "Freddie",
    "Theo",
    "Thomas",
    "Aisha",
    "Zara",
    "Maja",
    "Kacper",
    "Jakub",
    "Fatima",
    "Yusuf",
    "Ibrahim",
    "Ayaan",
    "Ruby",
]
#: England's commonest surnames, the commonest first (the matching benchmark's too).
COMMON_SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
]
LAST = [
    *COMMON_SURNAMES,
    "Khan",
    "Lewis",
    "James",
    "Phillips",
    "Mason",
    "Mitchell",
    "Rose",
    "Davis",
    "Rodriguez",
    "Cox",
    "Alexander",
    "Kowalski",
    "Nowak",
    "Ahmed",
    "Ali",
    "Hussain",
    "Begum",
    "Murphy",
    "Kelly",
]
STREETS = [
    "High Street",
    "Station Road",
    "Church Lane",
    "Park Avenue",
    "Mill Lane",
    "Victoria Road",
]
TOWNS = [
    "Exeter",
    "Exmouth",
    "Crediton",
    "Tiverton",
    "Honiton",
    "Cullompton",
    "Sidmouth",
    "Topsham",
]
OTHER_LAS = ["874", "875", "876", "877", "878"]


def ref(prefix: str, n: int) -> str:
    """A reference in the services' format, one-to-one with ``n`` (so unique per prefix)."""
    x = (n * _MULT) % _SPACE
    chars = []
    for _ in range(8):
        x, r = divmod(x, len(_ALPHABET))
        chars.append(_ALPHABET[r])
    body = "".join(chars)
    return f"{prefix}-{body[:4]}-{body[4:]}"


@lru_cache(maxsize=4096)
def due(received: date) -> date:
    """The enquiries' due date for a referral received on `received` (cached: few days)."""
    return enquiry_due_date(received)


@dataclass
class ScaleRun:
    """The run: every random choice comes from `rng`, in the order the tables are built."""

    rng: random.Random
    scale: float  # children / FULL_SCALE_CHILDREN
    today: date
    now: datetime
    tz: tzinfo

    def n(self, at_full_scale: int, minimum: int = 1) -> int:
        """How many of something there are at this scale (`at_full_scale` per 100,000)."""
        return max(minimum, round(at_full_scale * self.scale))

    def at(self, day: date, hour: int | None = None) -> datetime:
        """A moment in office hours on `day` (at `hour`, if given)."""
        h = self.rng.randint(8, 17) if hour is None else hour
        return datetime(day.year, day.month, day.day, h, self.rng.randint(0, 59), tzinfo=self.tz)

    def person(self) -> tuple[str, str]:
        return self.rng.choice(FIRST), self.rng.choice(LAST)

    def address(self) -> dict[str, Any]:
        rng = self.rng
        return {
            "address_line_1": f"{rng.randint(1, 240)} {rng.choice(STREETS)}",
            "town": rng.choice(TOWNS),
            "postcode": f"EX{rng.randint(1, 39)} {rng.randint(1, 9)}"
            f"{rng.choice(_POSTCODE_LETTERS)}{rng.choice(_POSTCODE_LETTERS)}",
        }

    def dob(self) -> date:
        """Compulsory school age and a little either side (the returns warn, not refuse)."""
        return self.today - timedelta(days=self.rng.randint(4 * 365, 17 * 365))

    @staticmethod
    def audit(when: datetime) -> dict[str, Any]:
        return {"created_at": when, "updated_at": when}
