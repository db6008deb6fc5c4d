from __future__ import annotations

from datetime import date

from bench_matching.generator import Generator, generate
from bench_matching.records import DataSet, Record, metrics


def test_the_generator_is_the_same_for_the_same_seed_and_differs_for_another() -> None:
    one, again, other = (
        generate(3, children=200, referrals=150),
        generate(3, children=200, referrals=150),
        generate(4, children=200, referrals=150),
    )

    assert [q.first_name for q in one.queries] == [q.first_name for q in again.queries]
    assert [q.first_name for q in one.queries] != [q.first_name for q in other.queries]
    assert len(one.known) >= 200
    assert len(one.queries) == 150


def test_twins_share_surname_date_of_birth_and_address_but_not_the_first_name() -> None:
    data = generate(5, children=600, referrals=400)
    known = {r.id: r for r in data.known}
    queries = {r.id: r for r in data.queries}
    truth = data.true_pairs()

    assert data.twins
    for query_id, twin_id in data.twins:
        assert (query_id, twin_id) not in truth
        assert queries[query_id].entity != known[twin_id].entity


def test_no_two_children_of_a_family_share_a_first_name() -> None:
    gen = Generator(6)
    for _ in range(300):
        family = gen.family()
        assert len({c.first_name for c in family}) == len(family)


def test_a_one_digit_date_of_birth_error_changes_one_digit() -> None:
    gen = Generator(7)
    dob = date(2014, 2, 3)
    for _ in range(50):
        wrong = gen.dob_digit(dob)
        diff = sum(a != b for a, b in zip(f"{dob:%Y%m%d}", f"{wrong:%Y%m%d}", strict=True))
        assert diff == 1


def test_metrics_count_precision_recall_blocking_and_twins_proposed() -> None:
    known = [Record(id=1, entity=1), Record(id=2, entity=2), Record(id=3, entity=3)]
    queries = [Record(id=11, entity=1), Record(id=12, entity=2), Record(id=13, entity=9)]
    data = DataSet(name="t", known=known, queries=queries, twins={(13, 3)}, siblings={(12, 1)})

    m = metrics(
        data, predicted={(11, 1), (13, 3)}, blocked={(11, 1), (12, 2), (13, 3)}, ms_per_query=1.0
    )

    assert (m.precision, m.recall) == (0.5, 0.5)
    assert m.f1 == 0.5
    assert m.blocking_recall == 1.0
    assert (m.twin_fp, m.sibling_fp) == (1.0, 0.0)


def test_a_deduplication_counts_each_pair_once() -> None:
    records = [Record(id=1, entity=1), Record(id=2, entity=1), Record(id=3, entity=2)]
    data = DataSet(name="d", known=records, queries=records, dedupe=True)

    assert data.true_pairs() == {(1, 2)}
    m = metrics(data, predicted={(1, 2)}, blocked={(1, 2), (2, 3)}, ms_per_query=1.0)
    assert (m.precision, m.recall, m.blocking_recall) == (1.0, 1.0, 1.0)
