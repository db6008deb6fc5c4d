"""Reads for the casework screens, by subject.

- ``cases``: the case pages, the register and my cases (every selector takes the person asking).
- ``children``: the child record, the chronology, merges and the child search.
- ``search``: "Find a child" (a package: the query, the name part, scores, SQLite's functions).
- ``triage``: the triage queue and its risk order.
- ``workload``: officers' and managers' counts of their open cases.
"""
