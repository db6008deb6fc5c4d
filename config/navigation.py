"""The header navigation for each role. The one module that knows every app's screens."""

from __future__ import annotations

from cme.models import Role

# The header navigation for each role: (label, URL name). One list, so pages cannot disagree.
NAVIGATION: dict[str, list[tuple[str, str]]] = {
    Role.SCHOOL_STAFF: [
        ("Home", "schools:home"),
        ("Submissions", "schools:return_list"),
        ("Referrals", "referrals:mine"),
    ],
    Role.OFFICER: [
        ("My cases", "cases:my_cases"),
        ("Triage", "triage:list"),
        ("Register", "cases:register"),
        ("Transfers", "transfers:list"),
        ("School returns", "schools:la_returns"),
        ("Find a child", "cases:find_child"),
    ],
    Role.MANAGER: [
        ("Dashboard", "dashboard:dashboard"),
        ("My cases", "cases:my_cases"),
        ("Triage", "triage:list"),
        ("Register", "cases:register"),
        ("Team", "cases:team"),
        ("Transfers", "transfers:list"),
        ("Reports", "reports:runs"),
        ("School returns", "schools:la_returns"),
        ("Audit", "audit:search"),
        ("Find a child", "cases:find_child"),
        ("Home education", "ehe:home"),
    ],
    Role.EHE_OFFICER: [
        ("Home education", "ehe:home"),
        ("EHE register", "ehe:register"),
        ("School returns", "schools:la_returns"),
    ],
    Role.ADMINISTRATOR: [
        ("School returns", "schools:la_returns"),
        ("Audit", "audit:search"),
        ("Administration", "admin:index"),
    ],
}

#: Items shown only while a setting is on (the children-not-in-school duties, issue 17).
NAVIGATION_WHEN: dict[str, dict[str, list[tuple[str, str]]]] = {
    "CME_CNIS_ENABLED": {
        Role.OFFICER: [("Not in school", "cnis:register")],
        Role.MANAGER: [("Not in school", "cnis:register"), ("Consent", "cnis:consent_list")],
    },
}
