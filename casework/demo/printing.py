"""The sign-in table `seed_demo` prints (and scripts/run-dev.sh shows when the server starts)."""

from __future__ import annotations

from casework.demo.base import DEMO_URL, demo_password
from casework.demo.people import DEMO_USERS


def sign_in_table(password: str | None = None) -> str:
    """The demo sign-ins as a plain-text table."""
    password = password or demo_password()
    rows = [("Email", "Role", "Password")]
    rows += [(u.email, u.role_label, password) for u in DEMO_USERS]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]

    def line(r: tuple[str, str, str]) -> str:
        return "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    body = [line(rows[0]), rule, *(line(r) for r in rows[1:])]
    return "\n".join(
        [
            f"CME casework is at {DEMO_URL}  (sign in at {DEMO_URL}/sign-in/)",
            "",
            "Demo sign-ins:",
            *body,
            "",
            f"The admin site ({DEMO_URL}/admin/) is for the administrator only.",
        ]
    )
