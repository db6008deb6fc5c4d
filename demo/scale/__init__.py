"""The load-test data `manage.py seed_scale` writes (issue 7 item 3), by subject.

A large county's worth: schools, LA staff, children, school returns (all four kinds, some with
parents), referrals, cases over five years with their enquiries and chronology. Everything
scales with ``--children`` (400 schools, 150,000 returns, 20,000 cases per 100,000 children)
and the same seed gives the same data.

It is fast because it never calls a service or saves a model: rows are built as dicts with
ids assigned here (:mod:`demo.scale.writer`), then written with PostgreSQL ``COPY``
(``executemany`` on SQLite, for the tests), and the id sequences are reset at the end. So it
bypasses the services' checks and audit trail: it is test data, never a way to load real
records.

* :mod:`demo.scale.context`: the run (random source, scale, today) and the fake names,
  addresses and dates;
* :mod:`demo.scale.writer`: the bulk writer and the batches of rows;
* :mod:`demo.scale.people`: LA staff, school staff and children;
* :mod:`demo.scale.schools`: schools, memberships, the LA's terms and closures;
* :mod:`demo.scale.returns`: the four kinds of school return and their parents;
* :mod:`demo.scale.cases`: referrals, cases, enquiries and events;
* :mod:`demo.scale.build`: the order it all goes in.
"""
