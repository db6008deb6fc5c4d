"""Browser journey (issue 16 item 1): an administrator imports the school directory from a
GIAS establishment file through the admin site, as the product offers it (Schools, then
"Import schools from a GIAS file"): a file that is not a CSV refused, a check-only run, a
file with a bad row (the others imported, the bad one listed by row), and an import that
would move a school with staff to another LA stopped until allowed. axe on each page state.

The files are made up (demo/gias_file.py: generated establishments in the published layout).
Screenshots: test-artifacts/e2e/gias-<step>.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from cme.models import Role
from schools.models import School
from tests.e2e.conftest import AssertAccessible, Shot, SignIn
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.schools.gias_files import edited, generated

pytestmark = pytest.mark.e2e

JOURNEY = "gias"
ROWS = 30
FIRST_URN = 910_000
CHECK_ONLY = "Check only: show what would change but save nothing"
ALLOW = "Allow a school with staff or returns to change LA or open status"


def test_an_administrator_imports_the_directory_from_a_gias_file(
    sign_in: SignIn, shot: Shot, assert_accessible: AssertAccessible, tmp_path: Path
) -> None:
    admin = UserFactory.create(
        email="ada@la.example.gov.uk",
        full_name="Ada Admin",
        role=Role.ADMINISTRATOR,
        is_staff=True,
    )
    # Our LA's extract (the upload screen offers our LA code as its filter).
    good = edited(
        generated(tmp_path / "generated.csv", ROWS, first_urn=FIRST_URN),
        tmp_path / "edubase.csv",
        lambda row: {**row, "LA (code)": settings.CME_LA_CODE},
    )
    bad_urn = str(FIRST_URN + 3)
    with_bad_row = edited(
        good,
        tmp_path / "edubase_bad.csv",
        lambda row: {**row, "LA (code)": "ABCD"} if row["URN"] == bad_urn else row,
    )
    not_csv = tmp_path / "edubase.xlsx"
    not_csv.write_bytes(b"PK\x03\x04 not a csv")

    page = sign_in(admin)

    def upload(path: Path, *, check_only: bool = False, allow: bool = False) -> None:
        page.get_by_label("GIAS establishment file (CSV)").set_input_files(str(path))
        page.get_by_label(CHECK_ONLY).set_checked(check_only)
        page.get_by_label(ALLOW).set_checked(allow)
        page.get_by_role("button", name="Upload and import").click()

    page.goto("/admin/")
    page.locator("#content-main a[href='/admin/schools/school/']").first.click()
    page.get_by_role("link", name="Import schools from a GIAS file").click()
    expect(page.locator("h1")).to_have_text("Import schools from a GIAS file")
    assert_accessible(page, "GIAS import")

    # Not a CSV: refused, with the reason beside the file input.
    upload(not_csv)
    expect(page.locator(".errorlist")).to_contain_text("must be a CSV file")
    assert not School.objects.exists()
    shot(page, JOURNEY, "01-not-a-csv")
    assert_accessible(page, "GIAS import refused")

    # Check only: what would change, nothing saved.
    upload(with_bad_row, check_only=True)
    result = page.locator("#import-result")
    expect(result).to_contain_text("Checked only, nothing saved")
    expect(page.locator("#import-counts")).to_contain_text(f"Created: {ROWS - 1}")
    expect(page.locator("#import-problems")).to_contain_text("ABCD")
    assert not School.objects.exists()
    shot(page, JOURNEY, "02-checked")
    assert_accessible(page, "GIAS import checked")

    # Imported: every good row, the bad one listed by its row (the header is row 1).
    upload(with_bad_row)
    expect(result).to_contain_text(f"Imported: {ROWS} rows read")
    expect(page.locator("#import-counts")).to_contain_text(f"Created: {ROWS - 1}")
    problems = page.locator("#import-problems")
    expect(problems.get_by_role("row")).to_have_count(2)  # the header and the bad row
    expect(problems).to_contain_text("5")  # URN FIRST_URN + 3 is the 4th school: row 5
    assert School.objects.count() == ROWS - 1
    assert not School.objects.filter(urn=int(bad_urn)).exists()
    shot(page, JOURNEY, "03-imported")
    assert_accessible(page, "GIAS import done")

    # A school with staff would move to another LA: nothing is written until allowed.
    staffed = School.objects.get(urn=FIRST_URN)
    MembershipFactory.create(school=staffed, user=UserFactory.create(role=Role.SCHOOL_STAFF))
    moved = edited(
        good,
        tmp_path / "edubase_moved.csv",
        lambda row: {**row, "LA (code)": "998"} if row["URN"] == str(FIRST_URN) else row,
    )
    page.get_by_label("Only this LA's schools (optional)").fill("")  # the whole file
    upload(moved)
    expect(page.locator("#import-blocked")).to_contain_text("Nothing was imported")
    expect(page.locator("#import-protected")).to_contain_text(staffed.name)
    assert School.objects.get(urn=FIRST_URN).la_code == staffed.la_code
    shot(page, JOURNEY, "04-blocked")
    assert_accessible(page, "GIAS import blocked")

    upload(moved, allow=True)
    expect(result).to_contain_text("Changed as you allowed")
    assert School.objects.get(urn=FIRST_URN).la_code == "998"
    # The missing row (bad before) is now imported too.
    assert School.objects.count() == ROWS
    shot(page, JOURNEY, "05-allowed")
    assert_accessible(page, "GIAS import allowed")


def test_the_school_list_links_to_the_import(
    sign_in: SignIn, assert_accessible: AssertAccessible
) -> None:
    SchoolFactory.create(urn=920_001, name="Rowan Oak School")
    admin = UserFactory.create(email="al@la.example.gov.uk", role=Role.ADMINISTRATOR, is_staff=True)
    page = sign_in(admin)
    page.goto("/admin/schools/school/")
    expect(page.get_by_role("link", name="Import schools from a GIAS file")).to_be_visible()
    assert_accessible(page, "school list (admin)")
