"""Pure text rules shared by every form (no model or app imports)."""

from __future__ import annotations

import re

# Unicode bidirectional controls: embeddings and overrides (U+202A-U+202E), isolates
# (U+2066-U+2069), the LTR/RTL marks (U+200E, U+200F) and the Arabic letter mark (U+061C).
# Typed into a name, an override such as U+202E reverses how the rest of it is shown, so a
# record can read as someone else's: they are stripped, never stored.
BIDI_CONTROLS_RE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def strip_bidi_controls(value: str) -> str:
    """``value`` without bidirectional control characters."""
    return BIDI_CONTROLS_RE.sub("", value)


def text_lines(*lines: str) -> str:
    """The lines that apply (an empty one is left out), one a line: the details text a
    service writes into a referral or a case."""
    return "\n".join(line for line in lines if line)
