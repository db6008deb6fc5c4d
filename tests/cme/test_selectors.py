"""Issue 13, item 6: one "active users of a role" query, used wherever managers are looked up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casework.selectors.workload import officer_loads
from cme.models import Role
from cme.notifications import managers
from cme.selectors import active_users
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_active_users_are_the_active_holders_of_the_roles() -> None:
    manager = UserFactory.create(role=Role.MANAGER)
    UserFactory.create(role=Role.MANAGER, is_active=False)
    officer = UserFactory.create(role=Role.OFFICER)
    UserFactory.create(role=Role.SCHOOL_STAFF)

    assert list(active_users(Role.MANAGER)) == [manager]
    assert managers() == [manager]
    assert set(active_users(Role.OFFICER, Role.MANAGER)) == {manager, officer}
    assert set(officer_loads()) == {manager, officer}


def test_no_module_repeats_the_active_users_query() -> None:
    pattern = re.compile(r"is_active=True,\s*role|role(__in)?=[^)]*,\s*is_active=True")
    found = [
        str(path.relative_to(ROOT))
        for app in ("cme", "schools", "referrals", "casework", "reports", "config")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text())
    ]
    assert found == ["cme/selectors.py"]
