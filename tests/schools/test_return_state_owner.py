"""Only schools writes a return's state (issue 13 item 4): its status, the words beside it and
the joiner-leaver link. The other apps call `schools.services` (returns_mark_referred,
returns_link_matched, return_outcome_record, return_status_set), which record the history.

An AST check over the other apps' source: no ``.update()`` / ``.bulk_update()`` on a return's
queryset sets those fields, and no assignment sets them on a return object."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: demo/ is left out: loading the demo data sets the statuses a return is shown with.
OTHER_APPS = ("referrals", "casework", "reports")
RETURN_MODELS = (
    "SchoolReturn",
    "JoinerReturn",
    "LeaverReturn",
    "AbsenceNotification",
    "PartTimeTimetable",
    "source_return",
    "school_return",
)
STATE_FIELDS = {"status", "status_detail", "matched_leaver", "matched_leaver_id"}
RAW_SQL_WRITE = re.compile(
    r"\bSET\b.*\b(matched_leaver_id|status_detail)\s*=", re.IGNORECASE | re.DOTALL
)


def _writes(source: str) -> list[str]:
    """``line: code`` for each write of a return's state in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"update", "bulk_update"}
        ):
            receiver = ast.unparse(node.func.value)
            fields = {k.arg for k in node.keywords} | {
                elt.value
                for arg in node.args
                for elt in (arg.elts if isinstance(arg, ast.List | ast.Tuple) else [])
                if isinstance(elt, ast.Constant)
            }
            if any(m in receiver for m in RETURN_MODELS) and fields & STATE_FIELDS:
                found.append(f"{node.lineno}: {ast.unparse(node)[:80]}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # Raw SQL: ``UPDATE <a return's table> SET matched_leaver_id = ...``.
            if RAW_SQL_WRITE.search(node.value):
                found.append(f"{node.lineno}: {node.value[:80]}")
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if not (isinstance(target, ast.Attribute) and target.attr in STATE_FIELDS):
                    continue
                value = ast.unparse(node.value) if node.value is not None else ""
                owner = ast.unparse(target.value)
                if "ReturnStatus" in value or any(m in owner for m in RETURN_MODELS):
                    found.append(f"{node.lineno}: {ast.unparse(node)[:80]}")
    return sorted(found, key=lambda line: int(line.split(":")[0]))


def _modules() -> list[Path]:
    return sorted(
        path
        for app in OTHER_APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    )


def test_the_check_finds_the_writes_it_is_for() -> None:
    """Not vacuous: the shapes that used to be in referrals and casework are found."""
    source = (
        "SchoolReturn.objects.filter(pk=1).update(status=ReturnStatus.REFERRED)\n"
        "JoinerReturn.objects.filter(pk=2).update(matched_leaver_id=3)\n"
        "instance.status = ReturnStatus.REFERRED\n"
        "school_return.status_detail = 'Referred to CME'\n"
        "Case.objects.filter(pk=4).update(status='closed')\n"  # a case: not a return
        "case.status = CaseStatus.CLOSED\n"
        'sql = f"UPDATE {table} SET matched_leaver_id = p.leaver_id FROM {source} "\n'
    )
    assert [line.split(":")[0] for line in _writes(source)] == ["1", "2", "3", "4", "7"]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_outside_schools_writes_a_returns_state(path: Path) -> None:
    assert _writes(path.read_text(encoding="utf-8")) == []
