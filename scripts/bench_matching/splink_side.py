"""Splink (DuckDB backend) on the same data, trained unsupervised: the reference.

The same settings on every data set, never tuned on the labels: Splink's own comparisons
for each column that has values, its blocking rules, ``estimate_u_using_random_sampling``
then expectation maximisation on two blocking rules, and a predicted link is a pair with a
match probability of 0.5 or more (the same rule as ours: an even chance).
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable
from typing import Any

from bench_matching.records import DataSet, Record, pair_key

THRESHOLD = 0.5
_MIN_FILLED = 0.2  # a column filled on fewer records than this is left out


def _frame(records: list[Record]) -> Any:
    import pandas as pd

    rows = [
        {
            "unique_id": r.id,
            "first_name": r.first_name.lower() or None,
            "surname": r.last_name.lower() or None,
            "dob": r.date_of_birth.isoformat() if r.date_of_birth else None,
            "postcode": r.postcode.replace(" ", "").upper() or None,
            "address": r.address_line_1.lower() or None,
            "town": r.town.lower() or None,
            "gender": r.gender or None,
            "nhs": r.nhs_number.replace(" ", "") or None,
        }
        for r in records
    ]
    return pd.DataFrame(rows)


def _comparisons(frames: list[Any]) -> list[Any]:
    import splink.comparison_library as cl

    def filled(col: str) -> bool:
        return all(f[col].notna().mean() >= _MIN_FILLED for f in frames)

    wanted: dict[str, Callable[[], Any]] = {
        "first_name": lambda: cl.NameComparison("first_name"),
        "surname": lambda: cl.NameComparison("surname"),
        "dob": lambda: cl.DateOfBirthComparison("dob", input_is_string=True),
        "postcode": lambda: cl.LevenshteinAtThresholds("postcode", [1, 2]),
        "address": lambda: cl.JaroWinklerAtThresholds("address", [0.9, 0.7]),
        "town": lambda: cl.LevenshteinAtThresholds("town", [1, 2]),
        "gender": lambda: cl.ExactMatch("gender"),
        "nhs": lambda: cl.LevenshteinAtThresholds("nhs", [1, 2]),
    }
    return [make() for col, make in wanted.items() if filled(col)]


def run(data: DataSet) -> tuple[set[tuple[int, int]], set[tuple[int, int]], float]:
    """(predicted pairs, blocked pairs, seconds: training and prediction)."""
    import splink
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="splink")
    started = time.perf_counter()
    db_api = DuckDBAPI()
    frames = [_frame(data.known)] if data.dedupe else [_frame(data.known), _frame(data.queries)]
    tables = [db_api.register(f) for f in frames]
    settings = SettingsCreator(
        link_type="dedupe_only" if data.dedupe else "link_only",
        comparisons=_comparisons(frames),
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("postcode", "first_name"),
            block_on("postcode", "surname"),
            block_on("dob", "postcode"),
            block_on("nhs"),
        ],
        retain_matching_columns=False,
    )
    linker = Linker(tables if len(tables) > 1 else tables[0], settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    scored = linker.inference.predict().as_pandas_dataframe()  # type: ignore[no-untyped-call]
    seconds = time.perf_counter() - started
    known = {r.id for r in data.known}
    predicted: set[tuple[int, int]] = set()
    blocked: set[tuple[int, int]] = set()
    for left, right, p in zip(
        scored["unique_id_l"], scored["unique_id_r"], scored["match_probability"], strict=True
    ):
        a, b = int(left), int(right)
        query, other = (b, a) if (not data.dedupe and a in known) else (a, b)
        key = pair_key(query, other, dedupe=data.dedupe)
        blocked.add(key)
        if p >= THRESHOLD:
            predicted.add(key)
    del splink
    return predicted, blocked, seconds
