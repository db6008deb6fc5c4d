"""docs/rules.md, the map of the rules, names only things that exist.

Every backticked dotted path (``package.module.name``, a module, class, function, method or
constant) must import, and every backticked test (``tests/path/test_file.py::test_name``) must
be a file that defines that test. When code moves, the failing id says which row to update.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "docs" / "rules.md"

_BACKTICKED = re.compile(r"`([^`\n]+)`")
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_TEST = re.compile(r"(tests/[\w/]+\.py)::([\w:]+)(?:\[[^\]]*\])?")


def _backticked() -> list[str]:
    return _BACKTICKED.findall(RULES.read_text(encoding="utf-8"))


def dotted_paths() -> list[str]:
    return sorted({text for text in _backticked() if _DOTTED.fullmatch(text)})


def named_tests() -> list[tuple[str, str]]:
    found = set()
    for text in _backticked():
        match = _TEST.fullmatch(text)
        if match:
            found.add((match.group(1), match.group(2).split("::")[-1]))
    return sorted(found)


def resolve(path: str) -> Any:
    """The object a dotted path names: the longest importable module prefix, then getattr
    for the rest (a class, function, method or constant)."""
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        module_name = ".".join(parts[:i])
        try:
            obj: Any = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            # Only "this prefix is not a module": an import error inside the module is real.
            if exc.name is not None and module_name.startswith(exc.name):
                continue
            raise
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(f"no module in {path!r}")


def test_the_map_names_code_and_tests() -> None:
    # A map that no longer parses (say, backticks dropped) would pass the checks below vacuously.
    assert len(dotted_paths()) >= 100
    assert len(named_tests()) >= 150


@pytest.mark.parametrize("path", dotted_paths())
def test_each_dotted_path_imports(path: str) -> None:
    try:
        resolve(path)
    except (ImportError, AttributeError) as exc:
        pytest.fail(f"docs/rules.md names `{path}`, which does not import: {exc}")


@pytest.mark.parametrize(("file", "name"), named_tests())
def test_each_test_named_exists(file: str, name: str) -> None:
    source = ROOT / file
    assert source.is_file(), f"docs/rules.md names {file}, which does not exist"
    defined = re.search(rf"^\s*(?:async\s+)?def {re.escape(name)}\(", source.read_text(), re.M)
    assert defined, f"docs/rules.md names {file}::{name}, which {file} does not define"
