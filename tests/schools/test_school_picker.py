"""The school picker (issue 16 item 2): a text box and a "Find school" step without
JavaScript, the chosen school checked by id, URN or label on the server, and no page that
lists the directory. Through the joiner return's previous school, and the list filters."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from schools.forms.school_picker import SchoolChoiceField
from schools.models import JoinerReturn, School
from tests.conftest import NOW
from tests.factories import SchoolFactory
from tests.forms import errors
from tests.schools.test_joiner_return import CHECK, START, joiner_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def rowans(db: None) -> list[School]:
    return [
        SchoolFactory.create(urn=990201, name="Rowan Primary", town="Exampleton", postcode="EX3 1AA"),
        SchoolFactory.create(urn=990202, name="Rowan Academy", town="Sampleford", postcode="SA2 2BB"),
        SchoolFactory.create(urn=990203, name="Hazel Infants", town="Exampleton", postcode="EX3 9CC"),
    ]  # fmt: skip


def picked(client: Client, **picker: str) -> School | None:
    """Send the joiner return with the picker's fields, and the previous school it saved."""
    response = client.post(START, joiner_post(**picker))
    assert response.status_code == 302, errors(response)
    client.post(CHECK)
    return JoinerReturn.objects.get().previous_school


@time_machine.travel(NOW, tick=False)
def test_the_school_chosen_in_the_autocomplete_is_saved_by_its_id(
    client_a: Client, rowans: list[School]
) -> None:
    label = "Rowan Academy (990202), Sampleford, SA2 2BB"
    chosen = picked(
        client_a,
        previous_school=str(rowans[1].pk),
        previous_school_q=label,
        previous_school_shown=label,
    )
    assert chosen == rowans[1]


@pytest.mark.parametrize(
    "typed", ["990203", "Hazel Infants (990203), Exampleton, EX3 9CC"], ids=["URN", "label"]
)
@time_machine.travel(NOW, tick=False)
def test_a_urn_or_a_label_typed_without_javascript_chooses_that_school(
    client_a: Client, rowans: list[School], typed: str
) -> None:
    assert picked(client_a, previous_school_q=typed, previous_school_shown="") == rowans[2]


@time_machine.travel(NOW, tick=False)
def test_text_typed_after_choosing_counts_not_the_school_chosen_before(
    client_a: Client, rowans: list[School]
) -> None:
    chosen = picked(
        client_a,
        previous_school=str(rowans[1].pk),
        previous_school_q="990201",
        previous_school_shown="Rowan Academy (990202), Sampleford, SA2 2BB",
    )
    assert chosen == rowans[0]


def test_find_school_shows_the_form_again_with_the_matches_and_everything_typed(
    client_a: Client, rowans: list[School]
) -> None:
    response = client_a.post(
        START, joiner_post(previous_school_q="rowan", previous_school_find="1", first_name="Zed")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not response.context["form"].errors  # a step, not a mistake
    assert "There is a problem" not in html
    assert "Schools matching “rowan”: choose one" in html
    assert f'name="previous_school" type="radio" value="{rowans[0].pk}"' in html
    assert f'name="previous_school" type="radio" value="{rowans[1].pk}"' in html
    assert "Hazel Infants" not in html
    assert 'value="Zed"' in html
    assert 'name="previous_school_q" value="rowan"' in html
    assert not JoinerReturn.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_school_picked_from_the_search_step_is_saved(
    client_a: Client, rowans: list[School]
) -> None:
    assert (
        picked(
            client_a,
            previous_school=str(rowans[0].pk),
            previous_school_q="rowan",
            previous_school_shown="rowan",
        )
        == rowans[0]
    )


def test_a_search_that_finds_nothing_says_so_as_the_one_error(
    client_a: Client, rowans: list[School]
) -> None:
    response = client_a.post(
        START, joiner_post(previous_school_q="zzyzx", previous_school_find="1", last_name="")
    )
    assert errors(response) == {
        "previous_school": [
            "No school matches “zzyzx”: check the spelling, or enter its URN, postcode or town"
        ]
    }


def test_words_typed_but_no_school_chosen_ask_for_one_and_list_the_matches(
    client_a: Client, rowans: list[School]
) -> None:
    response = client_a.post(
        START, joiner_post(previous_school_q="rowan", previous_school_shown="")
    )
    assert errors(response) == {"previous_school": ["Choose a school from the list"]}
    assert "Schools matching “rowan”" in response.content.decode()


def test_an_id_that_is_not_a_school_is_refused(client_a: Client, rowans: list[School]) -> None:
    response = client_a.post(START, joiner_post(previous_school="999999"))
    assert errors(response) == {"previous_school": ["Choose a school from the list"]}


def test_the_form_page_does_not_list_the_directory(client_a: Client) -> None:
    SchoolFactory.create_batch(30)
    html = client_a.get(START).content.decode()
    assert "<option" not in html
    assert 'name="previous_school_q"' in html
    assert 'data-search-url="/schools/search/"' in html
    assert "Find school" in html


def test_the_field_accepts_only_its_queryset(rowans: list[School]) -> None:
    field = SchoolChoiceField(queryset=School.objects.filter(name__startswith="Rowan"))
    assert field.clean(str(rowans[0].pk)) == rowans[0]
    assert field.matches("exampleton") == ([rowans[0]], False)
    with pytest.raises(Exception, match="Choose a school from the list"):
        field.clean(str(rowans[2].pk))


def test_the_return_list_filter_finds_a_school_through_the_search_step(
    officer_client: Client, rowans: list[School]
) -> None:
    url = reverse("schools:la_returns")
    html = officer_client.get(url, {"school_q": "rowan", "school_find": "1"}).content.decode()
    assert f'name="school" type="radio" value="{rowans[1].pk}"' in html
    chosen = officer_client.get(url, {"school_q": "990202", "school_shown": ""})
    assert chosen.context["filter"].form.cleaned_data["school"] == rowans[1]
