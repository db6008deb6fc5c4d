"""Transfers between councils: a child's CME case sent to another LA as a CTF and a PDF
summary, tracked to an answer, and a received transfer turned into a referral. Issue 16 item 4."""

from __future__ import annotations

from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "transfers"

    def ready(self) -> None:
        # The reminder sweep joins the scheduled checks (cme.jobs' registry).
        from transfers import jobs  # noqa: F401
