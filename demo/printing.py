"""The sign-in table `seed_demo` prints (and scripts/run-dev.sh shows when the server starts)."""

from __future__ import annotations

from demo.base import DEMO_URL, demo_password
from demo.people import DEMO_USERS


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
            "LA users also enter a code from an authenticator app (two-factor authentication).",
            "Add each key below to an authenticator app, or print the current code in another",
            "terminal with: .venv/bin/python manage.py demo_totp EMAIL",
            *totp_lines(),
            "",
            f"The admin site ({DEMO_URL}/admin/) is for the administrator only.",
        ]
    )


def totp_lines() -> list[str]:
    lines: list[str] = []
    for u in DEMO_USERS:
        if u.needs_totp:
            lines += [f"  {u.email}", f"    key:  {u.totp_secret}", f"    url:  {u.otpauth_url}"]
    return lines
