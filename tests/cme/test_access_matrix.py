"""Access proven by a generated matrix (issue 6, items 2 and 4).

Every URL pattern in the URLconf (the admin site apart: it has its own guard, tested at the
end) is requested by every persona, and the status must be the one EXPECTED gives. A URL
with no entry fails the test, and so does an entry for a URL that no longer exists, so a
new view cannot go live without someone deciding who may use it.

Object level: school B staff get 404 for every school-scoped URL filled with school A's
object references (returns of each kind, the part-time review, the receipt), and do not
see school A's referrals on their "referrals you have made" page.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from pytest_django import Settings

from casework.models import Case, Child, ChildMerge
from casework.services.merge import child_merge
from cme.access import PUBLIC
from cme.models import User
from cnis.models import ConsentRequest, Eligibility, Provider, RegisterEntry, Source
from ehe.models import Answer, HomeEducation, Notice, NoticeKind
from ehe.models import Source as EheSource
from ehe.services.register import home_education_register
from referrals.models import Channel, Referral, ReferralStatus, ReferrerType
from reports.census_services import census_submit
from reports.models import CensusDate, CensusSubmission, ReportRun, RunStatus
from schools.models import School, SchoolReturn
from tests.factories import (
    AbsenceNotificationFactory,
    CaseFactory,
    ChildFactory,
    JoinerReturnFactory,
    LeaverReturnFactory,
    PartTimeTimetableFactory,
    ReferralFactory,
)
from transfers.models import LocalAuthority, Transfer, TransferTrigger
from transfers.services import transfer_send

PERSONAS = (
    "anonymous",
    "staff_a",
    "staff_b",
    "officer",
    "manager",
    "ehe_officer",
    "administrator",
)


# ----------------------------------------------------------------------------- the walk


def walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> list[tuple[str, URLPattern, str]]:
    """(\"namespace:name\", pattern, whole route) for every named URL pattern, the admin
    site left out. The whole route has the prefixes of the includes the pattern is under."""
    found: list[tuple[str, URLPattern, str]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin" or p.namespace == "admin":
                continue  # the admin site's own guard: tested below
            ns = p.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            found.extend(walk(p.url_patterns, prefix + str(p.pattern), full_ns))
        elif isinstance(p, URLPattern):
            assert p.name, f"URL pattern {prefix}{p.pattern} has no name"
            name = f"{namespace}:{p.name}" if namespace else p.name
            found.append((name, p, prefix + str(p.pattern)))
    return found


def url_names() -> dict[str, URLPattern]:
    return {name: p for name, p, _ in walk(get_resolver().url_patterns)}


def url_routes() -> dict[str, str]:
    return {name: route for name, _, route in walk(get_resolver().url_patterns)}


# ------------------------------------------------------------------------------- world


@dataclass
class World:
    returns: dict[str, SchoolReturn]  # school A's return of each kind
    referral: Referral  # new, in the triage queue, made by school A's staff
    case: Case  # open
    child: Child  # the case's child (active)
    other_child: Child  # another active child, for the merge confirmation page
    merge: ChildMerge
    run: ReportRun  # ready, with both files
    submission: CensusSubmission  # a termly CME return marked as submitted
    transfer: Transfer  # sent to another LA, waiting for its answer (issue 16 item 4)
    consent: ConsentRequest  # s434A, pending (issue 17)
    entry: RegisterEntry  # on the children-not-in-school register, with a provider
    ehe: HomeEducation  # a child on the EHE register (issue 17)
    notice: Notice  # a s437(1) notice served on its parent, the answer awaited


def build_world(*, school_a: Any, staff_a: User, manager: User, storage: Any = None) -> World:
    returns: dict[str, SchoolReturn] = {
        "joiner": JoinerReturnFactory.create(school=school_a),
        "leaver": LeaverReturnFactory.create(school=school_a),
        "part_time": PartTimeTimetableFactory.create(school=school_a),
        "absence": AbsenceNotificationFactory.create(school=school_a),
    }
    referral = ReferralFactory.create(
        channel=Channel.SIGNED_IN,
        referrer_type=ReferrerType.SCHOOL,
        referrer_user=staff_a,
        referring_school=school_a,
        status=ReferralStatus.NEW,
    )
    case = CaseFactory.create()
    other_child = ChildFactory.create()
    duplicate = ChildFactory.create()
    merge = child_merge(
        kept=case.child,
        merged=duplicate,
        by=manager,
        reason="Same child",
        twin_or_sibling_reason="Same child, not a twin",  # born the same day: a possible twin
    )
    today = timezone.localdate()
    run = ReportRun.objects.create(
        requested_by=manager,
        period_start=today - timedelta(days=30),
        period_end=today - timedelta(days=1),
        status=RunStatus.READY,
        progress=100,
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    run.pdf_file.save("board.pdf", ContentFile(b"%PDF-1.7 stand-in"), save=False)
    run.csv_file.save("board.csv", ContentFile(b"Period,2026-01-01\r\n"), save=False)
    run.save()
    case.refresh_from_db()
    submission = census_submit(census=CensusDate.objects.get(term="autumn"), by=manager)
    transfer, _ = transfer_send(
        case=CaseFactory.create(),
        by=manager,
        to_la=LocalAuthority.objects.create(
            code="888", name="Otherborough Council", cme_email="cme@la888.example.gov.uk"
        ),
        trigger=TransferTrigger.WHEREABOUTS,
        reasons="Believed to have moved",
        submission_token=uuid.uuid4(),
    )
    consent = ConsentRequest.objects.create(
        leaver=LeaverReturnFactory.create(school=school_a, ground="f", la_arranged_place=True),
        la_placed_special_school=True,
    )
    entry = RegisterEntry.objects.create(
        child=other_child,
        eligibility=Eligibility.NOT_REGISTERED,
        eligibility_source=Source.OFFICER,
        registered_on=today,
    )
    Provider.objects.create(
        entry=entry,
        name="Tutor",
        address="1 Road",
        provider_type="tutor",
        location="1 Road",
        hours_per_week=4,
        hours_without_parent=0,
    )
    ehe = home_education_register(child=other_child, source=EheSource.OFFICER, by=manager)
    notice = Notice.objects.create(
        home_education=ehe,
        kind=NoticeKind.S437_1,
        served_on=today,
        period_days=15,
        period_ends_on=today + timedelta(days=14),
        answer=Answer.WAITING,
    )
    return World(
        returns,
        referral,
        case,
        case.child,
        other_child,
        merge,
        run,
        submission,
        transfer,
        consent,
        entry,
        ehe,
        notice,
    )


def kwargs_for(name: str, pattern: URLPattern, world: World) -> dict[str, Any]:
    """Fill a pattern's parameters from the world, by parameter name (and, for a
    `reference`, by what the namespace's references are of)."""
    namespace = name.split(":", maxsplit=1)[0] if ":" in name else ""
    references = {
        "schools": world.returns["joiner"].reference,
        "triage": world.referral.reference,
        "cases": world.case.reference,
        "referrals": world.referral.reference,
        "transfers": world.transfer.reference,
    }
    if name == "schools:timetable_review":
        references["schools"] = world.returns["part_time"].reference
    if name == "schools:return_s2s_confirm":
        references["schools"] = world.returns["leaver"].reference
    by_param: dict[str, Any] = {
        "reference": references.get(namespace, "XX-0000-0000"),
        "kind": "joiner",
        "child_id": world.child.pk,
        "other_id": world.other_child.pk,
        "merge_id": world.merge.pk,
        "run_id": world.run.pk,
        "submission_id": world.submission.pk,
        "case_reference": world.transfer.case.reference,
        "consent_id": world.consent.pk,
        "entry_id": world.ehe.pk if namespace == "ehe" else world.entry.pk,
        "provider_id": world.entry.providers.get().pk,
        "what": "change",
        "notice_id": world.notice.pk,
        "notice_kind": NoticeKind.S437_1,
        "uidb64": "MQ",
        "token": "set-password",
        "pk": 1,
        "id": 1,
    }
    params = re.findall(r"<(?:\w+:)?(\w+)>", url_routes()[name])
    missing = [p for p in params if p not in by_param]
    assert not missing, f"{name}: kwargs_for() cannot fill {missing}: add them"
    return {p: by_param[p] for p in params}


# ---------------------------------------------------------------------------- EXPECTED

R = dict  # one row: persona -> status


def row(
    anonymous: int,
    staff: int | tuple[int, int],
    officer: int,
    manager: int,
    administrator: int,
    *,
    ehe_officer: int | None = None,
) -> dict[str, int]:
    """One row; the EHE officer (issue 17), an LA user who works only the EHE register, gets
    what the administrator gets unless the row says otherwise."""
    staff_a, staff_b = staff if isinstance(staff, tuple) else (staff, staff)
    return R(
        anonymous=anonymous,
        staff_a=staff_a,
        staff_b=staff_b,
        officer=officer,
        manager=manager,
        ehe_officer=administrator if ehe_officer is None else ehe_officer,
        administrator=administrator,
    )


ALL_200 = row(200, 200, 200, 200, 200)
SIGNED_IN = row(302, 200, 200, 200, 200)
SCHOOL = row(302, 200, 403, 403, 403)
SCHOOL_A_OBJECT = row(302, (200, 404), 403, 403, 403)
LA = row(302, 403, 200, 200, 200)
CASEWORKERS = row(302, 403, 200, 200, 403)
MANAGERS = row(302, 403, 403, 200, 403)
EHE = row(302, 403, 403, 200, 403, ehe_officer=200)


@dataclass(frozen=True)
class Expect:
    get: dict[str, int]
    post: dict[str, int] | None = None  # for POST-only views: POST with empty data


# POST-only views (a GET is refused with 405 to whoever may post) shared by several URLs:
#: a caseworker's decision on a referral (the form's page again: 200);
CASEWORKER_DECISION = Expect(row(302, 403, 405, 405, 403), post=row(302, 403, 200, 200, 403))
#: a manager's retry of a failed email or report (sent on: 302);
MANAGER_RETRY = Expect(row(302, 403, 403, 405, 403), post=row(302, 403, 403, 302, 403))
#: a school's step in its own upload (sent on: 302).
SCHOOL_ACTION = Expect(row(302, 405, 403, 403, 403), post=row(302, 302, 403, 403, 403))


#: Per URL name ("namespace:name"), per persona: the status of a GET (302 for anonymous on
#: a protected view means "sent to sign in"). POST-only views also give a POST's statuses.
EXPECTED: dict[str, Expect] = {
    # -- cme
    "home": Expect(row(302, 302, 302, 302, 302)),
    "login": Expect(row(200, 302, 302, 302, 302)),  # signed in: sent on
    "logout": Expect(row(405, 405, 405, 405, 405), post=row(302, 302, 302, 302, 302)),
    # Council single sign-on: off unless CME_OIDC_ISSUER is set (tests/cme/test_sso.py and
    # tests/e2e/test_sso_journey.py turn it on), and then public, as sign-in is.
    "sso_start": Expect(row(404, 404, 404, 404, 404)),
    "sso_callback": Expect(row(404, 404, 404, 404, 404)),
    # Two-factor pages (CME_REQUIRE_2FA is off in tests): nothing to verify goes straight on;
    # set-up shows a new authenticator key; backup codes are shown once, after set-up.
    "two_factor_verify": Expect(row(302, 302, 302, 302, 302)),
    "two_factor_setup": Expect(SIGNED_IN),
    "two_factor_backup_codes": Expect(row(302, 302, 302, 302, 302)),
    "password_reset": Expect(ALL_200),
    "password_reset_done": Expect(ALL_200),
    "password_reset_confirm": Expect(ALL_200),  # a bad link: "this link has expired"
    "password_reset_complete": Expect(ALL_200),
    "notifications": Expect(SIGNED_IN),
    "emails_not_delivered": Expect(MANAGERS),
    "emails_sent": Expect(MANAGERS),
    "emails_retry": MANAGER_RETRY,
    "notifications_read": Expect(row(302, 405, 405, 405, 405), post=row(302, 302, 302, 302, 302)),
    "accessibility": Expect(ALL_200),
    "privacy": Expect(ALL_200),
    "healthz": Expect(ALL_200),
    # -- schools
    "schools:home": Expect(SCHOOL),
    "schools:switch_school": Expect(
        row(302, 405, 403, 403, 403), post=row(302, 404, 403, 403, 403)
    ),
    "schools:return_list": Expect(SCHOOL),
    "schools:return_start": Expect(SCHOOL),
    "schools:return_check": Expect(row(302, 302, 403, 403, 403)),  # no draft: back to the form
    "schools:return_detail": Expect(SCHOOL_A_OBJECT),
    "schools:timetable_review": Expect(SCHOOL_A_OBJECT),
    # POST-only (issue 12 A12): the school's own leaver only; its destination is known here,
    # so the answer is "not needed" and back to the return's page.
    "schools:return_s2s_confirm": Expect(
        row(302, 405, 403, 403, 403), post=row(302, (302, 404), 403, 403, 403)
    ),
    "schools:return_submitted": Expect(SCHOOL_A_OBJECT),
    "schools:la_returns": Expect(LA),
    "schools:la_return_detail": Expect(LA),
    "schools:school_search": Expect(SIGNED_IN),  # the school picker (issue 16)
    # CTF in (issue 16 item 3): the acting school's own upload; nothing uploaded yet, so the
    # pupils page and the POSTs go back to the upload page.
    "schools:ctf_upload": Expect(SCHOOL),
    "schools:ctf_pupils": Expect(row(302, 302, 403, 403, 403)),
    "schools:ctf_start": SCHOOL_ACTION,
    "schools:ctf_forget": SCHOOL_ACTION,
    # -- referrals
    "referrals:public_start": Expect(ALL_200),
    "referrals:public_check": Expect(row(302, 302, 302, 302, 302)),  # no draft
    "referrals:public_sent": Expect(row(404, 404, 404, 404, 404)),  # not sent from here
    "referrals:new": Expect(SIGNED_IN),
    "referrals:new_check": Expect(row(302, 302, 302, 302, 302)),
    "referrals:new_sent": Expect(row(302, 404, 404, 404, 404)),
    "referrals:mine": Expect(SCHOOL),
    # -- triage
    "triage:list": Expect(CASEWORKERS),
    "triage:detail": Expect(CASEWORKERS),
    "triage:accept": CASEWORKER_DECISION,
    "triage:not_cme": CASEWORKER_DECISION,
    "triage:duplicate": CASEWORKER_DECISION,
    # -- cases
    "cases:register": Expect(CASEWORKERS),
    "cases:register_csv": Expect(CASEWORKERS),
    "cases:register_xlsx": Expect(CASEWORKERS),
    "cases:my_cases": Expect(CASEWORKERS),
    "cases:team": Expect(MANAGERS),
    "cases:detail": Expect(CASEWORKERS),
    "cases:enquiries": Expect(CASEWORKERS),
    "cases:notes": Expect(CASEWORKERS),
    "cases:enquiry_new": Expect(CASEWORKERS),
    "cases:referral": Expect(CASEWORKERS),
    "cases:returns": Expect(CASEWORKERS),
    "cases:allocate": Expect(MANAGERS),
    "cases:pick_up": Expect(CASEWORKERS),
    "cases:note_new": Expect(CASEWORKERS),
    "cases:investigation_complete": Expect(CASEWORKERS),
    "cases:category": Expect(CASEWORKERS),
    "cases:cme_details": Expect(CASEWORKERS),
    "cases:escalate": Expect(CASEWORKERS),
    "cases:close": Expect(CASEWORKERS),
    "cases:reopen": Expect(CASEWORKERS),
    "cases:child": Expect(CASEWORKERS),
    "cases:chronology": Expect(CASEWORKERS),
    "cases:open_restricted": Expect(row(302, 403, 302, 302, 403)),  # not restricted: on to it
    "cases:restrict": Expect(MANAGERS),
    "cases:merge_search": Expect(MANAGERS),
    "cases:merge_confirm": Expect(MANAGERS),
    "cases:merge_undo": Expect(MANAGERS),
    "cases:find_child": Expect(CASEWORKERS),
    "cases:find_child_results": Expect(row(302, 403, 302, 302, 403)),  # no search: to the form
    # -- audit trail (read only)
    "audit:search": Expect(row(302, 403, 403, 200, 200, ehe_officer=403)),
    "audit:child": Expect(row(302, 403, 403, 200, 200, ehe_officer=403)),
    # -- elective home education (issue 17): EHE officers and managers
    "ehe:home": Expect(EHE),
    "ehe:register": Expect(EHE),
    "ehe:add": Expect(EHE),
    "ehe:detail": Expect(EHE),
    "ehe:contact_new": Expect(EHE),
    "ehe:suitability_new": Expect(EHE),
    "ehe:parent_new": Expect(EHE),
    "ehe:end": Expect(EHE),
    "ehe:open_restricted": Expect(row(302, 403, 403, 302, 403, ehe_officer=302)),  # not restricted
    "ehe:notice_new": Expect(EHE),
    "ehe:notice_answer": Expect(EHE),
    "ehe:notice_pdf": Expect(EHE),
    # -- dashboard and reports
    "dashboard:dashboard": Expect(MANAGERS),
    "dashboard:data_pack": Expect(MANAGERS),
    "dashboard:cme_return": Expect(MANAGERS),
    "dashboard:cme_return_csv": Expect(MANAGERS),
    "dashboard:cme_return_submit": Expect(
        row(302, 403, 403, 405, 403), post=row(302, 403, 403, 404, 403)
    ),
    "dashboard:cme_submission": Expect(MANAGERS),
    "reports:runs": Expect(MANAGERS),
    "reports:run_status": Expect(MANAGERS),
    "reports:download_pdf": Expect(MANAGERS),
    "reports:download_csv": Expect(MANAGERS),
    # "Try again" on a failed run: POST only (a ready run is left as it is: back to the list).
    "reports:retry": MANAGER_RETRY,
    # -- transfers between councils (issue 16 item 4): caseworkers only; the world's transfer
    # waits for an answer, so its case's send page says so and goes back (302). The other
    # LA's download page is public: the token is the authority, and a wrong one is a 404.
    "transfers:list": Expect(CASEWORKERS),
    "transfers:received_upload": Expect(CASEWORKERS),
    "transfers:download": Expect(row(404, 404, 404, 404, 404)),
    "transfers:case": Expect(CASEWORKERS),
    "transfers:new": Expect(CASEWORKERS),
    "transfers:check": Expect(row(302, 403, 302, 302, 403)),  # nothing to check: to the form
    "transfers:detail": Expect(CASEWORKERS),
    "transfers:ctf": Expect(CASEWORKERS),
    "transfers:pdf": Expect(CASEWORKERS),
    "transfers:answer": Expect(CASEWORKERS),
    # -- children not in school (issue 17; CME_CNIS_ENABLED on for the matrix)
    "cnis:register": Expect(CASEWORKERS),
    "cnis:register_csv": Expect(CASEWORKERS),
    "cnis:register_new": Expect(CASEWORKERS),
    "cnis:entry": Expect(CASEWORKERS),
    "cnis:entry_action": Expect(CASEWORKERS),
    # POST only: the provider has no email address, so back to the entry with the error.
    "cnis:provider_request": Expect(
        row(302, 403, 405, 405, 403), post=row(302, 403, 302, 302, 403)
    ),
    # POST only: no open request, so back to the entry with the message.
    "cnis:provider_answered": Expect(
        row(302, 403, 405, 405, 403), post=row(302, 403, 302, 302, 403)
    ),
    "cnis:consent_list": Expect(MANAGERS),
    "cnis:consent_detail": Expect(MANAGERS),
}


# ------------------------------------------------------------------------------ tests


def test_every_url_has_an_entry_and_every_entry_a_url() -> None:
    names = set(url_names())
    missing = sorted(names - set(EXPECTED))
    stale = sorted(set(EXPECTED) - names)
    assert not missing, f"URLs with no entry in EXPECTED (decide who may use them): {missing}"
    assert not stale, f"EXPECTED names URLs that no longer exist: {stale}"


@pytest.fixture(autouse=True)
def _report_storage(settings: Settings, tmp_path: Path) -> None:
    settings.CME_REPORT_STORAGE = str(tmp_path / "reports")
    # The children-not-in-school pages are 404s while the duties are off: check them on.
    settings.CME_CNIS_ENABLED = True


@pytest.fixture
def personas(personas: dict[str, User], ehe_officer: User) -> dict[str, User]:
    """The signed-in personas (tests/conftest.py), the EHE officer too."""
    return {**personas, "ehe_officer": ehe_officer}


@pytest.fixture
def world(school_a: School, personas: dict[str, User]) -> World:
    return build_world(school_a=school_a, staff_a=personas["staff_a"], manager=personas["manager"])


class Clients(dict[str, Client]):
    """A signed-in test client per persona (and one for the anonymous public)."""

    def __init__(self, users: dict[str, User]) -> None:
        super().__init__(anonymous=Client())
        self.users = users
        for persona in users:
            self.relogin(persona)

    def relogin(self, persona: str) -> None:
        client = Client()
        if persona in self.users:
            client.force_login(self.users[persona])
        self[persona] = client


@pytest.fixture
def clients(personas: dict[str, User]) -> Clients:
    return Clients(personas)


def test_the_matrix(world: World, clients: Clients, capsys: pytest.CaptureFixture[str]) -> None:
    """Every URL x every persona: the status EXPECTED gives (GET, and POST for POST-only)."""
    failures: list[str] = []
    cells = 0
    patterns = url_names()
    for name, pattern in sorted(patterns.items()):
        expect = EXPECTED.get(name)
        if expect is None:
            continue  # the test above names it
        url = reverse(name, kwargs=kwargs_for(name, pattern, world))
        for persona in PERSONAS:
            for method, table in (("GET", expect.get), ("POST", expect.post)):
                if table is None:
                    continue
                client = clients[persona]
                response = client.get(url) if method == "GET" else client.post(url, {})
                if name == "logout" and method == "POST":
                    clients.relogin(persona)  # signed out: sign back in for the next URLs
                cells += 1
                status = response.status_code
                if status != table[persona]:
                    failures.append(
                        f"{method} {name} ({url}) as {persona}: "
                        f"expected {table[persona]}, got {status}"
                    )
                elif (
                    persona == "anonymous"
                    and status == 302
                    and pattern.callback.allowed_roles != PUBLIC  # type: ignore[attr-defined]  # set by cme.access
                ):
                    # A protected view sends the anonymous to sign in, not anywhere else.
                    location = response["Location"]
                    if not location.startswith(reverse("login")):
                        failures.append(f"GET {name} as anonymous: 302 to {location}, not sign-in")
    summary = (
        f"access matrix: {len(patterns)} URLs x {len(PERSONAS)} personas = "
        f"{len(patterns) * len(PERSONAS)} cells ({cells} requests with POST-only checks)"
    )
    with capsys.disabled():
        print(f"\n{summary}")
    assert not failures, "\n".join([summary, *failures])


# ----------------------------------------------------------------------- object level

SCHOOL_SCOPED = ("schools:return_detail", "schools:return_submitted")


@pytest.mark.parametrize("kind", ["joiner", "leaver", "part_time", "absence"])
@pytest.mark.parametrize("name", SCHOOL_SCOPED)
def test_school_b_never_reaches_school_a_returns(
    world: World, clients: Clients, kind: str, name: str
) -> None:
    reference = world.returns[kind].reference
    url = reverse(name, args=[reference])
    assert clients["staff_b"].get(url).status_code == 404
    assert clients["staff_a"].get(url).status_code == 200
    # The LA sees it through its own page.
    la = reverse("schools:la_return_detail", args=[reference])
    assert clients["officer"].get(la).status_code == 200


def test_school_b_cannot_review_school_a_timetable(world: World, clients: Clients) -> None:
    url = reverse("schools:timetable_review", args=[world.returns["part_time"].reference])
    assert clients["staff_b"].get(url).status_code == 404
    response = clients["staff_b"].post(url, {"outcome": "continue"})
    assert response.status_code == 404
    assert clients["staff_a"].get(url).status_code == 200


def test_school_b_does_not_see_school_a_referrals(world: World, clients: Clients) -> None:
    reference = world.referral.reference
    mine_a = clients["staff_a"].get(reverse("referrals:mine")).content.decode()
    mine_b = clients["staff_b"].get(reverse("referrals:mine")).content.decode()
    assert reference in mine_a
    assert reference not in mine_b
    # Nor a sent page for it (only the sending session sees it).
    assert (
        clients["staff_b"].get(reverse("referrals:new_sent", args=[reference])).status_code == 404
    )


def test_an_unknown_reference_is_the_same_404_as_another_school(
    world: World, clients: Clients
) -> None:
    url = reverse("schools:return_detail", args=["JN-ZZZZ-ZZZZ"])
    assert clients["staff_b"].get(url).status_code == 404


# ------------------------------------------------------------------------------ admin


ADMIN_URLS = ["admin:index", "admin:schools_school_changelist", "admin:schools_school_import"]


@pytest.mark.parametrize("name", ADMIN_URLS)
def test_the_admin_is_for_administrators_only(world: World, clients: Clients, name: str) -> None:
    url = reverse(name)
    for persona in PERSONAS:
        response = clients[persona].get(url)
        expected = {"administrator": 200, "anonymous": 302}.get(persona, 403)
        assert response.status_code == expected, (name, persona)
        if expected == 302:
            assert "/admin/login/" in response["Location"]
