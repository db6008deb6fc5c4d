"""Issue 13, item 6: the casework views share helpers through casework.presenters, and no
view module imports another."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import casework.views
from casework.presenters import nc_year_label

VIEWS = Path(casework.views.__file__).parent


def test_no_casework_view_module_imports_another() -> None:
    offending = []
    for path in VIEWS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "casework.views"
            ):
                offending.append(f"{path.name}: from {node.module}")
    assert offending == []


def test_no_view_module_of_any_app_imports_a_view_module() -> None:
    """Shared view helpers live in each app's presenters module (schools.presenters,
    casework.presenters), never in another app's or another module's views."""
    root = VIEWS.parent.parent
    offending = []
    for app in ("schools", "referrals", "casework", "reports"):
        for path in (root / app / "views").glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.ImportFrom):
                    continue
                module = node.module or ""
                if module.split(".")[0] in {"schools", "referrals", "casework", "reports"} and (
                    ".views" in module
                ):
                    offending.append(f"{app}/views/{path.name}: from {module}")
    assert offending == []


def test_nc_year_label() -> None:
    on = date(2026, 11, 23)
    assert nc_year_label(None, on) == "Not known"
    assert nc_year_label(date(2021, 12, 1), on) == "Reception"
    assert nc_year_label(date(2022, 12, 1), on) == "Nursery"
    assert nc_year_label(date(2015, 12, 1), on) == "Year 6"
