"""The school picker (issue 16 item 2): one field for every question that asks for a school
in the directory, at national scale (about 50,000 establishments), instead of a <select>
that lists them all.

Without JavaScript the field is a text box and a "Find school" button: the button sends the
form back, which is shown again with everything typed and a short radio list of the schools
that match. With JavaScript, static/js/school-picker.js turns the text box into alphagov's
accessible-autocomplete over ``GET /schools/search/`` (JSON) and puts the chosen school's id
in the hidden input. Either way the server checks the school by its id (or a URN typed or
pasted, as the labels carry it) against the field's queryset, and the form stores the same
foreign key as before.

What the browser sends, for a field named ``school``:

- ``school``: the chosen school's id (the hidden input, or the radio picked);
- ``school_q``: the text box (what was typed, or the chosen school's label);
- ``school_shown``: the text box as the page showed it: if ``school_q`` differs, the person
  typed something else after choosing, so the text counts, not the stale id;
- ``school_find``: the "Find school" button.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from schools.directory_search import MAX_RESULTS, MIN_QUERY, school_label, search_schools
from schools.forms.fields import clean_text
from schools.models import School

ERROR_CHOOSE = "Choose a school from the list"
ERROR_NO_MATCH = (
    "No school matches “%(query)s”: check the spelling, or enter its URN, postcode or town"
)
ERROR_TOO_SHORT = (
    f"Enter at least {MIN_QUERY} characters of the school's name, URN, postcode or town"
)
#: A URN in a label, "Alder Primary School (990001), Exampleton": what the picker reads back.
_URN_IN_LABEL = re.compile(r"\((\d{1,9})\)")
_MAX_URN = 2_147_483_647


class SchoolQuery:
    """Text typed in the picker that is not (yet) a chosen school; the field fills `matches`
    as it validates, so the page shown again lists them without searching twice."""

    def __init__(self, text: str, *, find: bool) -> None:
        self.text = text
        self.find = find
        self.matches: list[School] | None = None
        self.more = False

    def __str__(self) -> str:
        return self.text


def _urn_typed(text: str) -> int | None:
    digits = text if text.isascii() and text.isdigit() else None
    if digits is None:
        found = _URN_IN_LABEL.search(text)
        digits = found.group(1) if found else None
    return int(digits) if digits is not None and int(digits) <= _MAX_URN else None


class SchoolPickerWidget(forms.Widget):
    template_name = "schools/widgets/school_picker.html"

    def __init__(
        self, attrs: dict[str, Any] | None = None, *, search: Mapping[str, str] | None = None
    ) -> None:
        super().__init__({"class": "govuk-input", **(attrs or {})})
        self.search = dict(search or {})
        self._queries: dict[tuple[str, bool], SchoolQuery] = {}
        #: Off where the person may not be signed in (the public referral form): the search
        #: endpoint is for signed-in users, so only the step without JavaScript is offered.
        self.autocomplete = True

    def __deepcopy__(self, memo: dict[int, Any]) -> SchoolPickerWidget:
        copied = super().__deepcopy__(memo)
        assert isinstance(copied, SchoolPickerWidget)  # noqa: S101 - forms.Widget copies its type
        copied.search = dict(self.search)
        copied._queries = {}
        copied.autocomplete = self.autocomplete
        return copied

    def value_from_datadict(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> Any:
        chosen = data.get(name) or ""
        if f"{name}_q" not in data:
            # Only the id: a draft saved before the picker, or a client posting the id.
            return chosen or None
        text = clean_text(str(data.get(f"{name}_q") or ""))
        if f"{name}_find" in data:
            return self._query(text, find=True)
        shown = data.get(f"{name}_shown")
        if chosen and (shown is None or clean_text(str(shown)) == text):
            return chosen
        return self._query(text, find=False) if text else None

    def _query(self, text: str, *, find: bool) -> SchoolQuery:
        # The same object each time the form asks (to clean, then to render), so the page
        # shows the matches the field found without searching again.
        key = (text, find)
        if key not in self._queries:
            self._queries[key] = SchoolQuery(text, find=find)
        return self._queries[key]

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> bool:
        return name not in data and f"{name}_q" not in data

    def search_url(self) -> str:
        url = reverse("schools:school_search")
        return f"{url}?{urlencode(self.search)}" if self.search else url

    def chosen(self, value: Any) -> School | None:
        if isinstance(value, School):
            return value
        if value in (None, "") or isinstance(value, SchoolQuery):
            return None
        try:
            # Only for its label: the field checks it against its own queryset.
            return School.objects.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        # The project's template engine (templates/, {% static %}), whatever the form's renderer.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308 - a template's output

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, None, attrs)
        query = value if isinstance(value, SchoolQuery) else None
        chosen = self.chosen(value)
        matches = query.matches if query is not None else None
        context["picker"] = {
            "text": query.text if query is not None else (school_label(chosen) if chosen else ""),
            "chosen": chosen,
            "query": query.text if query is not None else "",
            "matches": [(school.pk, school_label(school)) for school in matches or ()],
            "searched": matches is not None,
            "more": query.more if query is not None else False,
            "attrs": flatatt(context["widget"]["attrs"]),
            "search_url": self.search_url() if self.autocomplete else "",
            "max_results": MAX_RESULTS,
        }
        return context


class SchoolChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A school from `queryset` (the whole directory unless narrowed), chosen by id, or by
    a URN or label typed. `search` is passed to /schools/search/ so that the autocomplete
    offers the same schools the field accepts (``area``, ``open``, ``schools``: "1")."""

    widget = SchoolPickerWidget
    default_error_messages = {
        "invalid_choice": ERROR_CHOOSE,
        "required": ERROR_CHOOSE,
        "choose": ERROR_CHOOSE,
        "no_match": ERROR_NO_MATCH,
        "too_short": ERROR_TOO_SHORT,
    }

    def __init__(
        self,
        queryset: QuerySet[School] | None = None,
        *,
        search: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("empty_label", None)
        self.search = dict(search or {})
        kwargs.setdefault("widget", SchoolPickerWidget(search=self.search))
        super().__init__(queryset if queryset is not None else School.objects.all(), **kwargs)

    def accepted(self) -> QuerySet[School]:
        queryset = self.queryset
        return queryset if queryset is not None else School.objects.none()

    def label_from_instance(self, obj: School) -> str:
        return school_label(obj)

    def prepare_value(self, value: Any) -> Any:
        return value if isinstance(value, SchoolQuery) else super().prepare_value(value)

    def to_python(self, value: Any) -> School | None:
        if not isinstance(value, SchoolQuery):
            school: School | None = super().to_python(value)
            return school
        urn = _urn_typed(value.text)
        if urn is not None and not value.find:
            by_urn: School | None = self.accepted().filter(urn=urn).first()
            if by_urn is not None:
                return by_urn
        value.matches, value.more = self.matches(value.text)
        if len(value.text) < MIN_QUERY:
            raise ValidationError(self.error_messages["too_short"], code="too_short")
        if not value.matches:
            raise ValidationError(
                self.error_messages["no_match"], code="no_match", params={"query": value.text}
            )
        raise ValidationError(self.error_messages["choose"], code="choose")

    def matches(self, text: str) -> tuple[list[School], bool]:
        """The schools the search finds that this field accepts, best first, and whether
        there were more than the list shows."""
        found = search_schools(
            text,
            schools_only=self.search.get("schools") == "1",
            in_area_only=self.search.get("area") == "1",
            open_only=self.search.get("open") == "1",
        )
        allowed = set(
            self.accepted().filter(pk__in=[s.pk for s in found]).values_list("pk", flat=True)
        )
        kept = [s for s in found if s.pk in allowed]
        return kept[:MAX_RESULTS], len(kept) > MAX_RESULTS

    def has_changed(self, initial: Any, data: Any) -> bool:
        if isinstance(data, SchoolQuery):
            return True
        return bool(super().has_changed(initial, data))


def finding_school(form: forms.BaseForm) -> bool:
    """Whether this submission is the picker's "Find school" step, not the form's own."""
    return any(
        f"{form.add_prefix(name)}_find" in form.data
        for name, field in form.fields.items()
        if isinstance(field, SchoolChoiceField)
    )


class SchoolSearchStep:
    """For a form with a school picker: "Find school" (the step without JavaScript) shows
    the form again with the matches, and no error but the picker's own "no school matches"
    (the rest of the form is not finished yet, so saying what is missing would mislead)."""

    searching = False

    def full_clean(self) -> None:
        assert isinstance(self, forms.BaseForm)  # noqa: S101 - a mixin for forms only
        super().full_clean()  # type: ignore[misc]
        if self.is_bound and finding_school(self):
            self.searching = True
            errors = self.errors
            kept = {
                name: field_errors
                for name, field_errors in errors.items()
                if name in self.fields
                and isinstance(self.fields[name], SchoolChoiceField)
                and _no_match(field_errors.as_data())
            }
            errors.clear()
            errors.update(kept)

    def is_valid(self) -> bool:
        valid: bool = super().is_valid()  # type: ignore[misc]
        return valid and not self.searching


def _no_match(errors: Iterable[ValidationError]) -> bool:
    return any(error.code in {"no_match", "too_short"} for error in errors)


class SchoolFilter(django_filters.ModelChoiceFilter):
    """A list page's "which school" filter through the picker: the national directory is too
    long for a <select>. Empty means any school."""

    field_class = SchoolChoiceField
