"""The DfE's list of primary reasons as first seeded (2025/26), for the migration that seeds it
and for putting it back after a test database is flushed (casework.apps): the list itself is
data (casework.models.CmeReason); a later year's changes are a new data migration."""

from __future__ import annotations

from datetime import date
from typing import Any

#: The DfE's primary reasons for the termly CME data collection, 2025/26 (the "Reason"
#: breakdown of cme_census.csv), as they stand from the autumn term 2025. A later year's
#: changes are a new data migration: add items, set applies_until on retired ones.
REASONS_2025_26: list[tuple[str, str]] = [
    ("moved-to-another-country", "Believed to have moved to another country"),
    ("moved-to-another-la", "Believed to have moved to another local authority"),
    ("challenging-sao", "Challenging school attendance order"),
    ("did-not-apply", "Did not apply for school place at compulsory school age"),
    ("did-not-get-preference", "Did not get school preference"),
    ("difficulty-accessing-place", "Difficulty accessing suitable school place"),
    ("mental-health", "Mental health"),
    ("moved-in-from-another-country", "Moved in from another country"),
    ("moved-in-from-another-la", "Moved in from another local authority"),
    ("not-recorded", "Not recorded"),
    ("offered-not-accepted", "Offered school place but not yet accepted"),
    ("other", "Other"),
    ("parental-decision", "Parental decision not to register at school"),
    ("physical-health", "Physical health"),
    ("application-awaiting-outcome", "School application awaiting outcome"),
    ("dissatisfaction-send", "School dissatisfaction SEND"),
    ("dissatisfaction-general", "School dissatisfaction general"),
    ("unknown", "Unknown"),
    ("unsuitable-ehe", "Unsuitable elective home education"),
    ("waiting-school-start", "Waiting school start"),
]
AUTUMN_2025 = date(2025, 9, 1)


def seed_reasons(model: Any) -> None:
    """Write the 2025/26 list into ``model`` (the migration's historical model, or the app's)."""
    for order, (code, label) in enumerate(REASONS_2025_26):
        model.objects.update_or_create(
            code=code, defaults={"label": label, "applies_from": AUTUMN_2025, "order": order}
        )
