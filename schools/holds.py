"""Holds on a just-submitted return: a later layer may ask that the usual reactions to a
return (the referral rules, the EHE register) wait for its decision.

schools cannot import the layers above it, so they register a *hold check* in their
AppConfig.ready() (cnis: s434A, the LA's consent to home education). `return_submit` asks
the checks, inside its transaction, before it sends `schools.signals.return_submitted`; a
check that holds the return gives the words the school sees beside its status, and may record
what it holds it for (the consent request) in the same transaction. The return waits until
`schools.services.return_release` sends the signal after all.
"""

from __future__ import annotations

from collections.abc import Callable

from schools.models import SchoolReturn

#: A hold check: given a saved return, the words the school sees while it is held, or None.
HoldCheck = Callable[[SchoolReturn], str | None]

_checks: dict[str, HoldCheck] = {}


def register_hold_check(name: str, check: HoldCheck) -> None:
    """Add (or replace: ready() may run twice) the check called ``name``."""
    _checks[name] = check


def hold_reason(school_return: SchoolReturn) -> str | None:
    """The first registered check's words that hold ``school_return``, or None."""
    for check in _checks.values():
        reason = check(school_return)
        if reason:
            return reason
    return None


#: What a layer that holds returns has to say about one on its page (the LA's decision), as
#: (label, words) rows; the school's page and the LA's show them under the status.
HoldNote = Callable[[SchoolReturn], list[tuple[str, str]]]

_notes: dict[str, HoldNote] = {}


def register_hold_note(name: str, note: HoldNote) -> None:
    _notes[name] = note


def hold_notes(school_return: SchoolReturn) -> list[tuple[str, str]]:
    """The rows every registered layer has for ``school_return`` (none for most returns)."""
    return [row for note in _notes.values() for row in note(school_return)]
