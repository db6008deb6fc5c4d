"""The order ``seed_scale`` writes its tables in (each draws from the one random source, so
the order is part of what a seed means), and the id sequences reset after."""

from __future__ import annotations

from casework.models import Case, Child, Enquiry, Event
from cme.models import User
from demo.scale.cases import CASES, Pools, write_casework
from demo.scale.context import ScaleRun
from demo.scale.people import write_children, write_users
from demo.scale.returns import RETURNS, write_returns
from demo.scale.schools import school_ids, write_calendar, write_schools
from demo.scale.writer import reset_sequences
from referrals.models import Referral
from schools.models import Closure, ParentCarer, School, SchoolMembership, SchoolReturn, Term

# Every table written here (an MTI child shares its parent's sequence).
TOUCHED = (
    User,
    School,
    SchoolMembership,
    Term,
    Closure,
    Child,
    SchoolReturn,
    ParentCarer,
    Referral,
    Case,
    Enquiry,
    Event,
)


def build(run: ScaleRun, n_children: int) -> dict[str, int]:
    """Write the whole data set for `n_children` children; the rows written, by table."""
    counts: dict[str, int] = {}
    schools = school_ids(run)
    staff = write_users(run, schools, counts)
    in_area = write_schools(run, schools, staff.school_staff, counts)
    write_calendar(run, counts)
    child_ids, child_dobs = write_children(run, n_children, schools, counts)
    write_returns(run, run.n(RETURNS), schools, in_area, child_ids, counts)
    pools = Pools(child_ids, child_dobs, schools, staff.caseworkers)
    write_casework(run, run.n(CASES), pools, counts)
    reset_sequences(TOUCHED)
    return counts
