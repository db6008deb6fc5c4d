"""The register's filters (django-filter), its sort keys, and the selected-filter tags."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import django_filters
from django import forms
from django.db import connection
from django.db.models import QuerySet
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import conditional_escape, escape

from casework.census import UNKNOWN, year_groups
from casework.filters_cme import CmeReturnFilters
from casework.models import Case, Category
from cme.filters import DATE_WIDGET, any_of
from cme.models import Role, User
from cme.statutory import national_curriculum_year_dobs
from referrals.models import Reason
from referrals.vocabulary import FLAG_CHOICES
from schools.forms.school_picker import SchoolFilter
from schools.models import School

UNKNOWN_YEAR = "unknown"

#: The child's vulnerability flags (Child boolean fields), in the order the filter lists them.
FLAGS: list[tuple[str, str]] = FLAG_CHOICES

NC_YEARS: list[tuple[str, str]] = [
    ("0", "Reception"),
    *((str(y), f"Year {y}") for y in range(1, 12)),
    # The CME return's "Unknown" year group: no date of birth, or outside Reception-Year 11.
    (UNKNOWN_YEAR, UNKNOWN),
]

#: ?sort= keys and the ordering they mean ("-key" reverses).
SORTS: dict[str, tuple[str, ...]] = {
    "child": ("child__last_name", "child__first_name"),
    "dob": ("child__date_of_birth",),
    "category": ("category",),
    "officer": ("allocated_to__full_name",),
    "received": ("received_on",),
    "due": ("due_date",),
    "reference": ("reference",),
}
DEFAULT_SORT = "due"
#: The oldest age the register's age filters accept (far above any child on it).
MAX_AGE = 100


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February in a non-leap year
        return d.replace(year=d.year - years, day=28)


_WIDGETS = "django/forms/widgets/"


def _attrs_html(attrs: dict[str, Any]) -> str:
    # django/forms/widgets/attrs.html
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input_html(widget: dict[str, Any]) -> str:
    # django/forms/widgets/input.html (and number, date, checkbox, checkbox_option unwrapped)
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{_attrs_html(widget["attrs"])}>'
    )


def _input_option_html(widget: dict[str, Any]) -> str:
    # django/forms/widgets/input_option.html
    if not widget.get("wrap_label"):
        return _input_html(widget)
    label_for = widget["attrs"].get("id")
    for_ = f' for="{conditional_escape(label_for)}"' if label_for else ""
    return f"<label{for_}>{_input_html(widget)} {conditional_escape(widget['label'])}</label>"


def _option_html(widget: dict[str, Any]) -> str:
    # django/forms/widgets/select_option.html (its file ends in a newline)
    return (
        f'<option value="{escape(widget["value"])}"{_attrs_html(widget["attrs"])}>'
        f"{conditional_escape(widget['label'])}</option>\n"
    )


def _select_html(widget: dict[str, Any]) -> str:
    # django/forms/widgets/select.html
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _WIDGETS + "select_option.html":
                raise _NotFast
            parts.append("\n  " + _option_html(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class _NotFast(Exception):
    pass


_FAST = {
    _WIDGETS + "input.html": _input_html,
    _WIDGETS + "text.html": _input_html,
    _WIDGETS + "number.html": _input_html,
    _WIDGETS + "date.html": _input_html,
    _WIDGETS + "checkbox.html": _input_html,
    _WIDGETS + "checkbox_option.html": _input_option_html,
    _WIDGETS + "select.html": _select_html,
}


class FastWidgetRenderer(DjangoTemplates):
    """Renders the register filter's widgets (a select of ~400 schools, the officers...) in
    Python, to the same HTML as Django's widget templates, which cost most of the page's
    time through the template engine. Any other template goes to the templates as usual."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        fast = _FAST.get(template_name)
        if fast is not None:
            try:
                return fast(context["widget"]).strip()
            except _NotFast:
                pass
        return super().render(template_name, context, request=request)


_RENDERER = FastWidgetRenderer()


class _ValuesChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """Options from one ``values_list`` query, with the same labels as ``str(instance)``: the
    ~400 schools and ~40 officers of a county were 440 model instances made for every page."""

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        columns, label = self.field.values_label
        for pk, *values in self.queryset.values_list("pk", *columns):
            yield (pk, label(*values))


class _MemoSelect(forms.Select):
    """A select whose HTML is kept, per process, for the exact same name, value, attributes
    and options: the schools' and officers' lists are the same on nearly every register page,
    and rendering ~440 options is most of the filter's cost. The options are still read from
    the database on every page (one query), so a new school or officer shows at once."""

    _rendered: dict[tuple[Any, ...], str] = {}
    MAX_KEPT = 64

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> Any:
        # One query for a model's options (list() would ask its len() first: a COUNT query).
        choices = [choice for choice in self.choices]  # noqa: C416
        options = tuple((str(v), str(label)) for v, label in choices)
        final_attrs = self.build_attrs(self.attrs, attrs)
        key = (
            type(self),
            name,
            tuple(self.format_value(value)),
            tuple(sorted((k, str(v)) for k, v in final_attrs.items())),
            options,
        )
        html = self._rendered.get(key)
        if html is None:
            self.choices = choices  # render from the same rows, without a second query
            html = super().render(name, value, attrs, renderer)
            if len(self._rendered) >= self.MAX_KEPT:
                self._rendered.clear()
            self._rendered[key] = html
        return html


class _ValuesModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _ValuesChoiceIterator
    widget = _MemoSelect

    def __init__(self, *args: Any, values_label: tuple[tuple[str, ...], Any], **kwargs: Any):
        self.values_label = values_label
        super().__init__(*args, **kwargs)


class _ValuesModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _ValuesModelChoiceField


class RegisterFilter(CmeReturnFilters):
    category = any_of(Category.choices)
    officer = _ValuesModelChoiceFilter(
        field_name="allocated_to",
        label="Officer",
        queryset=User.objects.filter(role__in=[Role.OFFICER, Role.MANAGER]).order_by("full_name"),
        empty_label="Any officer",
        # str(User)
        values_label=(("full_name", "email"), lambda full_name, email: full_name or email),
    )
    overdue = django_filters.BooleanFilter(
        field_name="is_overdue", label="Overdue only", widget=forms.CheckboxInput
    )
    # An upper bound too: ?age_from=1e10 would take a date's year out of range (a 500).
    age_from = django_filters.NumberFilter(
        label="Age from", method="filter_age_from", min_value=0, max_value=MAX_AGE
    )
    age_to = django_filters.NumberFilter(
        label="Age to", method="filter_age_to", min_value=0, max_value=MAX_AGE
    )
    nc_year = any_of(NC_YEARS, "Year group", method="filter_nc_year")
    last_school = SchoolFilter(
        field_name="child__last_school",
        label="Last school",
        queryset=School.objects.all(),
    )
    flags = django_filters.MultipleChoiceFilter(
        label="Vulnerability",
        choices=FLAGS,
        method="filter_flags",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
    )
    reason = any_of(Reason.choices, "Reason for referral", method="filter_reason")
    received_after = django_filters.DateFilter(
        field_name="received_on",
        lookup_expr="gte",
        label="Received on or after",
        widget=DATE_WIDGET,
    )
    received_before = django_filters.DateFilter(
        field_name="received_on",
        lookup_expr="lte",
        label="Received on or before",
        widget=DATE_WIDGET,
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.renderer = _RENDERER
        for field in self.form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "govuk-select")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "govuk-checkboxes__input")
            elif isinstance(widget, forms.NumberInput):
                widget.attrs.setdefault("class", "govuk-input govuk-input--width-3")

    def filter_queryset(self, queryset: QuerySet[Case]) -> QuerySet[Case]:
        # An unticked "overdue only" box means every case, not only those on time.
        if not self.form.cleaned_data.get("overdue"):
            self.form.cleaned_data["overdue"] = None
        return super().filter_queryset(queryset)

    def filter_age_from(self, qs: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        # Aged at least N today: born on or before today N years ago.
        return qs.filter(child__date_of_birth__lte=_years_before(timezone.localdate(), int(value)))

    def filter_age_to(self, qs: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        # Aged at most N today: younger than N + 1.
        bound = _years_before(timezone.localdate(), int(value) + 1)
        return qs.filter(child__date_of_birth__gt=bound)

    def filter_nc_year(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if value == UNKNOWN_YEAR:
            return qs.filter(year_groups(self._on())[UNKNOWN])
        oldest, youngest = national_curriculum_year_dobs(int(value), self._on())
        return qs.filter(child__date_of_birth__range=(oldest, youngest))

    def filter_flags(self, qs: QuerySet[Case], name: str, value: list[str]) -> QuerySet[Case]:
        allowed = dict(FLAGS)
        return qs.filter(**{f"child__{flag}": True for flag in value if flag in allowed})

    def filter_reason(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if connection.vendor == "postgresql":
            return qs.filter(referral__reasons__contains=[value])
        # SQLite has no JSON containment: match the quoted code in the JSON text.
        return qs.filter(referral__reasons__icontains=f'"{value}"')


def sorted_cases(qs: QuerySet[Case], sort: str | None) -> tuple[QuerySet[Case], str]:
    """Order by a ?sort= key (unknown keys fall back to the due date)."""
    key = (sort or DEFAULT_SORT).strip()
    desc = key.startswith("-")
    base = key.lstrip("-")
    if base not in SORTS:
        base, desc = DEFAULT_SORT, False
    fields = [f"-{f}" if desc else f for f in SORTS[base]]
    return qs.order_by(*fields, "pk"), ("-" if desc else "") + base


def selected_filter_tags(filterset: RegisterFilter, params: QueryDict) -> list[dict[str, str]]:
    """The MOJ filter's "selected filters": one removable tag per chosen value (of those that
    are valid: with an error on the form, the rest can still be removed one by one)."""
    filterset.form.is_valid()  # cleaned_data holds the valid fields either way
    tags: list[dict[str, str]] = []
    data = filterset.form.cleaned_data
    for name, field in filterset.form.fields.items():
        value = data.get(name)
        if value in (None, "", [], False):
            continue
        values = value if isinstance(value, list) else [value]
        for v in values:
            remaining = params.copy()
            remaining.pop("page", None)
            if isinstance(value, list):
                remaining.setlist(name, [x for x in remaining.getlist(name) if x != v])
            else:
                remaining.pop(name, None)
            if name == "flags":
                text = dict(FLAGS).get(v, v)
            elif hasattr(field, "choices") and not isinstance(v, (School, User)):
                text = {str(k): lbl for k, lbl in field.choices}.get(str(v), str(v))
            elif isinstance(v, date):
                text = f"{v:%-d %b %Y}"
            elif v is True:
                text = "Yes"
            else:
                text = str(v)
            tags.append({"label": f"{field.label}: {text}", "url": "?" + remaining.urlencode()})
    return tags
