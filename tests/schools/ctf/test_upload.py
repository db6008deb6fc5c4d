"""School staff upload a CTF and start pre-filled returns from it (issue 16 item 3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries, Settings

from cme.models import AccessAction, AccessLog, User
from schools.models import JoinerReturn, LeaverReturn, School
from tests.conftest import NOW
from tests.forms import answered, page, refused, shows
from tests.schools.ctf.files import ctf_bytes

UPLOAD = reverse("schools:ctf_upload")
PUPILS = reverse("schools:ctf_pupils")
START = reverse("schools:ctf_start")
FORGET = reverse("schools:ctf_forget")
JOINER = reverse("schools:return_start", kwargs={"kind": "joiner"})
JOINER_CHECK = reverse("schools:return_check", kwargs={"kind": "joiner"})
LEAVER = reverse("schools:return_start", kwargs={"kind": "leaver"})

# Every test runs with the clock stopped at NOW, and school B exists to send the files.
pytestmark = pytest.mark.usefixtures("frozen", "school_b")


Upload = Callable[..., Any]


@pytest.fixture
def upload_ctf(client_a: Client, school_a: School, school_b: School) -> Upload:
    """Upload a test file as school A's staff: the file names school B and school A."""

    def send(name: str, **kw: Any) -> Any:
        data = ctf_bytes(name, urn_a=school_a.urn, urn_b=school_b.urn)
        file = SimpleUploadedFile(kw.pop("filename", name), data, "text/xml")
        return client_a.post(UPLOAD, {"file": file}, **kw)

    return send


def as_post(initial: dict[str, Any], **more: Any) -> dict[str, Any]:
    """The form's initial answers as a browser would post them back, with `more` answered."""
    return answered(
        {k: v for k, v in initial.items() if not isinstance(v, date)},
        {
            **{k: v for k, v in initial.items() if isinstance(v, date)},
            **{k: str(v) if isinstance(v, int) else v for k, v in more.items()},
        },
    )


def assert_nothing_waiting(client: Client) -> None:
    """No pupil of any file waits: the pupils page goes back to the upload, the session is clear."""
    assert client.get(PUPILS)["Location"] == UPLOAD
    assert not any(k.startswith("ctf:") for k, _ in client.session.items())


def send_joiner(client: Client, position: str, **changed: Any) -> None:
    """Start the return of the file's pupil at `position`, answer the admission date (and
    change the `changed` answers), send."""
    client.post(START, {"pupil": position})
    initial = client.get(JOINER).context["form"].initial
    answers = as_post(initial, admission_date=date(2026, 11, 20), **changed)
    assert client.post(JOINER, answers).status_code == 302
    assert client.post(JOINER_CHECK).status_code == 302


def test_a_ctf_sent_to_the_school_lists_its_pupils_for_joiner_returns(
    client_a: Client, staff_a: User, upload_ctf: Upload
) -> None:
    response = upload_ctf("joiners.xml")
    assert response.status_code == 302
    assert response["Location"] == PUPILS
    shown = page(client_a.get(PUPILS))
    assert "Ada Quillfeather" in shown
    assert "Theo Brindlecombe" in shown
    assert shown.count("Start joiner return") == 2
    assert "sent to Alder Primary School from Birch Academy" in shown
    row = AccessLog.objects.get()
    assert (row.action, row.user, row.object_type) == (AccessAction.UPLOAD_CTF, staff_a, "school")
    assert row.detail == "CTF 20.0: 2 pupils kept, 0 left out"


def test_the_file_itself_is_never_kept(client_a: Client, upload_ctf: Upload) -> None:
    upload_ctf("joiners.xml")
    stored = str(dict(client_a.session.items()))
    assert "CTfile" not in stored
    assert "<UPN>" not in stored
    assert "Quillfeather" in stored  # the parsed pupils wait in the session, nowhere else


def test_start_joiner_return_opens_the_usual_form_filled_in_from_the_file(
    client_a: Client, school_b: School, upload_ctf: Upload
) -> None:
    upload_ctf("joiners.xml")
    response = client_a.post(START, {"pupil": "1"})
    assert response["Location"] == JOINER
    form_page = client_a.get(JOINER)
    form = form_page.context["form"]
    assert not form.is_bound  # no errors before the school has answered the rest
    assert form.initial == {
        "first_name": "Ada",
        "middle_names": "Rose",
        "last_name": "Quillfeather",
        "date_of_birth": date(2016, 4, 12),
        "gender": "F",
        "upn": "E999200119001",
        "address_line_1": "Flat 2, 14 Example Road",
        "address_line_2": "Westfield",
        "town": "Exampleton",
        "postcode": "EX1 2AB",
        "parent_1_name": "Ms Bea Quillfeather",
        "parent_1_relationship": "mother",
        "parent_1_phone": "07700 900123",
        "parent_1_email": "bea.quillfeather@example.com",
        "parent_2_name": "Mr Cal Marrowby",
        "parent_2_relationship": "father",
        "parent_2_phone": "01632 960123",
        "year_group": "Year 5",
        "previous_school": school_b.pk,
    }
    assert "filled in from the common transfer file" in page(form_page)


def test_a_pre_filled_joiner_goes_through_check_your_answers_and_leaves_the_list(
    client_a: Client, school_b: School, upload_ctf: Upload
) -> None:
    upload_ctf("joiners.xml")
    client_a.post(START, {"pupil": "1"})
    initial = client_a.get(JOINER).context["form"].initial
    response = client_a.post(JOINER, as_post(initial, admission_date=date(2026, 11, 20)))
    assert response["Location"] == JOINER_CHECK
    check = page(client_a.get(JOINER_CHECK))
    assert "Check your answers" in check
    assert "Ms Bea Quillfeather" in check
    sent = client_a.post(JOINER_CHECK)
    saved = JoinerReturn.objects.get()
    assert sent["Location"] == reverse("schools:return_submitted", args=[saved.reference])
    assert (saved.first_name, saved.last_name, saved.upn) == (
        "Ada",
        "Quillfeather",
        "E999200119001",
    )
    assert saved.previous_school == school_b
    assert [p.name for p in saved.parents.order_by("position")] == [
        "Ms Bea Quillfeather",
        "Mr Cal Marrowby",
    ]
    remaining = page(client_a.get(PUPILS))
    assert "Ada Quillfeather" not in remaining
    assert "Theo Brindlecombe" in remaining
    # The next joiner starts empty again: the file's answers went with the return.
    assert client_a.get(JOINER).context["form"].initial == {}


def test_a_return_sent_as_the_file_gave_it_keeps_the_address_and_name_parts(
    client_a: Client, upload_ctf: Upload
) -> None:
    upload_ctf("joiners.xml")
    send_joiner(client_a, "1")
    ada = JoinerReturn.objects.get()
    assert (ada.address_line_1, ada.address_line_2, ada.town) == (
        "Flat 2, 14 Example Road",
        "Westfield",
        "Exampleton",
    )
    parts = (ada.address_saon, ada.address_paon, ada.address_street, ada.address_locality)
    assert parts == ("Flat 2", "14", "Example Road", "Westfield")
    assert (ada.address_post_town, ada.address_administrative_area) == (
        "Exampleton",
        "Exampleshire",
    )
    names = [(p.title, p.forename, p.surname) for p in ada.parents.order_by("position")]
    assert names == [("Ms", "Bea", "Quillfeather"), ("Mr", "Cal", "Marrowby")]


def test_an_answer_the_school_changed_keeps_only_the_string_typed(
    client_a: Client, upload_ctf: Upload
) -> None:
    upload_ctf("joiners.xml")
    send_joiner(
        client_a, "1", address_line_1="22 New Street", parent_1_name="Bea Quillfeather-Marrowby"
    )
    ada = JoinerReturn.objects.get()
    assert ada.address_line_1 == "22 New Street"
    assert (ada.address_saon, ada.address_paon, ada.address_street) == ("", "", "")
    first, second = ada.parents.order_by("position")
    assert (first.name, first.title, first.forename, first.surname) == (
        "Bea Quillfeather-Marrowby",
        "",
        "",
        "",
    )
    assert (second.title, second.forename, second.surname) == ("Mr", "Cal", "Marrowby")


def test_every_contact_phone_address_and_uprn_the_file_gave_reaches_the_return(
    client_a: Client, upload_ctf: Upload
) -> None:
    upload_ctf("contacts.xml")
    client_a.post(START, {"pupil": "1"})
    initial = client_a.get(JOINER).context["form"].initial
    assert initial["parent_1_relationship"] == "mother"
    assert initial["parent_1_phone"] == "07700 900777"
    assert "parent_1_address" not in initial  # the pupil's own
    assert initial["parent_2_address"] == "22 Other Street, Southbank, Exampleton, EX9 9ZZ"
    client_a.post(JOINER, as_post(initial, admission_date=date(2026, 11, 20)))

    # Check your answers shows what the file gives beyond the form, before anything is sent.
    check = page(client_a.get(JOINER_CHECK))
    shown_before = (
        "From the common transfer file",
        "UPRN of the pupil's address",
        "100023336956",
        "Mother (PAM)",
        "01632 960777 (H)",
        "020 7946 0777 (W)",
        "Contact 3 from the common transfer file",
        "Grandmother (GRM)",
    )
    assert [text for text in shown_before if text not in check] == []
    assert not JoinerReturn.objects.exists()

    client_a.post(JOINER_CHECK)
    pip = JoinerReturn.objects.get()
    assert pip.address_uprn == "100023336956"
    assert (pip.address_paon, pip.address_street) == ("5", "Example Row")
    mother, father, granny = pip.parents.order_by("position")
    assert (mother.relationship, mother.relationship_code) == ("mother", "PAM")
    assert mother.phone == "07700 900777"
    assert mother.other_phones == [
        {"number": "01632 960777", "type": "H"},
        {"number": "020 7946 0777", "type": "W"},
    ]
    assert mother.address_uprn == ""
    assert father.address == "22 Other Street, Southbank, Exampleton, EX9 9ZZ"
    assert (father.address_paon, father.address_street, father.address_locality) == (
        "22",
        "Other Street",
        "Southbank",
    )
    assert (father.address_postcode, father.address_uprn) == ("EX9 9ZZ", "100023336957")
    assert (granny.position, granny.name, granny.relationship_code) == (3, "Flo Marsh", "GRM")
    assert (granny.relationship, granny.phone, granny.email) == (
        "grandmother",
        "01632 960779",
        "flo.marsh@example.com",
    )
    assert granny.other_phones == [{"number": "07700 900779", "type": "M"}]

    # The return's page shows the same, for the school (and the LA's page reuses it).
    shown = page(client_a.get(reverse("schools:return_detail", args=[pip.reference])))
    shows(shown, "Grandmother (GRM)", "UPRN 100023336957", "07700 900779 (M)")


def test_a_changed_relationship_or_phone_keeps_what_was_typed(
    client_a: Client, upload_ctf: Upload
) -> None:
    upload_ctf("contacts.xml")
    send_joiner(
        client_a,
        "1",
        parent_1_relationship="aunt",
        parent_1_phone="01632 960777",
        parent_2_address="1 Elsewhere, EX1 1AA",
    )
    mother, father, _ = JoinerReturn.objects.get().parents.order_by("position")
    assert (mother.relationship, mother.relationship_code) == ("aunt", "")
    # The number typed is the emergency one; the file's others are kept beside it.
    assert [p["number"] for p in mother.other_phones] == ["07700 900777", "020 7946 0777"]
    assert (father.address, father.address_street, father.address_uprn) == (
        "1 Elsewhere, EX1 1AA",
        "",
        "",
    )


def test_a_pupil_with_no_upn_gets_a_return_with_the_upn_to_answer(
    client_a: Client, school_a: School, school_b: School
) -> None:
    data = ctf_bytes("joiners.xml", urn_a=school_a.urn, urn_b=school_b.urn).replace(
        b"<UPN>E999200119001</UPN>", b""
    )
    client_a.post(UPLOAD, {"file": SimpleUploadedFile("j.xml", data, "text/xml")})
    shown = page(client_a.get(PUPILS))
    assert "Ada Quillfeather (pupil 1 in the file)" in shown
    assert "has no UPN in the file" in shown
    assert shown.count("Start joiner return") == 2
    send_joiner(client_a, "1")
    assert JoinerReturn.objects.get().upn == ""


def test_the_last_return_sent_removes_the_file_s_pupils(
    client_a: Client, upload_ctf: Upload
) -> None:
    upload_ctf("joiners.xml")
    for position in ("2", "1"):
        send_joiner(client_a, position)
    assert [r.upn for r in JoinerReturn.objects.order_by("pk")] == [
        "U999200119002",
        "E999200119001",
    ]
    theo = JoinerReturn.objects.get(upn="U999200119002")
    assert (theo.address_line_1, theo.address_line_2, theo.town) == (
        "3 Sample Close",
        "Northgate",
        "Exampleton",
    )
    assert theo.parents.get().relationship == "carer"
    assert_nothing_waiting(client_a)


def test_a_ctf_sent_from_the_school_gives_leaver_returns_with_no_ground(
    client_a: Client, upload_ctf: Upload
) -> None:
    upload_ctf("leavers.xml")
    assert "Start leaver return" in page(client_a.get(PUPILS))
    assert client_a.post(START, {"pupil": "1"})["Location"] == LEAVER
    initial = client_a.get(LEAVER).context["form"].initial
    assert "ground" not in initial
    assert (initial["first_name"], initial["last_name"]) == ("Isla", "Ottercombe")
    assert initial["deletion_date"] == date(2026, 11, 20)
    assert initial["address_line_1"] == "9 Fictional Lane"
    assert not LeaverReturn.objects.exists()


def test_problems_are_listed_by_pupil_and_the_others_can_be_started(
    client_a: Client, upload_ctf: Upload
) -> None:
    upload_ctf("mixed.xml")
    shown = page(client_a.get(PUPILS))
    assert "UPN A999200218003" in shown
    assert "wrong check letter" in shown
    assert "UPN Y999200120005" in shown
    assert shown.count("Pupil left out") == 1
    assert shown.count("Start joiner return") == 3
    assert "Not in the file" in shown  # the pupil whose UPN was left out
    assert AccessLog.objects.get().detail == "CTF 21.0: 3 pupils kept, 1 left out"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("version18.xml", "CTF version 18: export it again"),
        ("billion_laughs.xml", "document type declaration or entities"),
        ("external_entity.xml", "document type declaration or entities"),
        ("too_deep.xml", "nested more deeply"),
        ("malformed.xml", "not valid XML"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(
    name: str, message: str, upload_ctf: Upload
) -> None:
    shown = refused(upload_ctf(name))
    assert message in shown
    assert not AccessLog.objects.exists()


def test_only_an_xml_file_is_taken(upload_ctf: Upload) -> None:
    shown = refused(upload_ctf("joiners.xml", filename="pupils.csv"))
    assert "must be an XML file" in shown


def test_no_file_is_asked_for(client_a: Client) -> None:
    assert "Select a CTF file" in refused(client_a.post(UPLOAD, {}))


def test_the_upload_page_says_the_file_is_not_kept_and_for_how_long_its_pupils_wait(
    client_a: Client,
) -> None:
    shown = page(client_a.get(UPLOAD))
    assert "The file itself is not kept; its pupils wait for up to 8 hours" in shown


def test_a_file_over_the_upload_limit_is_refused(settings: Settings, upload_ctf: Upload) -> None:
    settings.CME_MAX_UPLOAD_BYTES = 1024
    assert "must be smaller than" in refused(upload_ctf("joiners.xml"))


def test_a_file_between_two_other_schools_is_refused(
    client_b: Client, school_a: School, school_b: School
) -> None:
    # Staff of school B upload a file from another school to school A: not theirs to use.
    data = ctf_bytes("joiners.xml", urn_a=school_a.urn, urn_b=999999)
    response = client_b.post(UPLOAD, {"file": SimpleUploadedFile("a.xml", data, "text/xml")})
    assert "is not to or from Birch Academy" in refused(response)
    assert client_b.get(PUPILS)["Location"] == UPLOAD


def test_a_school_s_pupils_are_not_offered_when_acting_for_another(
    client_a: Client, school_b: School, staff_a: User, upload_ctf: Upload
) -> None:
    from schools.models import SchoolMembership

    SchoolMembership.objects.create(user=staff_a, school=school_b)
    upload_ctf("joiners.xml")
    client_a.post(reverse("schools:switch_school"), {"school": school_b.pk})
    assert client_a.get(PUPILS)["Location"] == UPLOAD
    assert client_a.post(START, {"pupil": "1"})["Location"] == UPLOAD


def test_the_pupils_wait_8_hours_at_most(client_a: Client, upload_ctf: Upload) -> None:
    with time_machine.travel(NOW, tick=False):
        upload_ctf("joiners.xml")
    with time_machine.travel(NOW, tick=False) as clock:
        clock.shift(timedelta(hours=8, seconds=1))
        assert_nothing_waiting(client_a)


def test_the_school_can_remove_the_file_s_pupils(client_a: Client, upload_ctf: Upload) -> None:
    upload_ctf("joiners.xml")
    client_a.post(START, {"pupil": "2"})
    assert client_a.post(FORGET)["Location"] == UPLOAD
    assert client_a.get(PUPILS)["Location"] == UPLOAD
    assert client_a.get(JOINER).context["form"].initial == {}


@pytest.mark.parametrize("chosen", ["7", "x", "²", ""])
def test_a_pupil_not_in_the_file_is_not_started(
    client_a: Client, chosen: str, upload_ctf: Upload
) -> None:
    upload_ctf("joiners.xml")
    assert client_a.post(START, {"pupil": chosen})["Location"] == PUPILS


def test_the_pupils_page_runs_a_constant_number_of_queries(
    client_a: Client, django_assert_max_num_queries: DjangoAssertNumQueries, upload_ctf: Upload
) -> None:
    upload_ctf("joiners.xml")
    with django_assert_max_num_queries(8):
        assert client_a.get(PUPILS).status_code == 200


def test_a_file_s_value_longer_than_its_field_is_cut_not_a_failure(
    client_a: Client, school_a: School, school_b: School
) -> None:
    long = "Very" * 40
    data = (
        ctf_bytes("contacts.xml", urn_a=school_a.urn, urn_b=school_b.urn)
        .replace(b"<Title>Mrs</Title>", f"<Title>{long}</Title>".encode())
        .replace(b"<Forename>Flo</Forename>", f"<Forename>{long}</Forename>".encode())
    )
    client_a.post(UPLOAD, {"file": SimpleUploadedFile("c.xml", data, "text/xml")})
    send_joiner(client_a, "1", parent_1_name="Gwen Thistlewood")
    _, _, granny = JoinerReturn.objects.get().parents.order_by("position")
    assert granny.forename == long[:100]
    assert len(granny.name) <= 150
