"""The benchmarks import each other as top-level modules (``python scripts/<bench>``
puts scripts/ on the path): so do their tests."""

import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))
