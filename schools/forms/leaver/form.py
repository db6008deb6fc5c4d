"""The deletion (leaver) return's form: regulation 13(3), on a ground in regulation 9(1).

See `schools.forms.leaver` for how the form is laid out and what it keeps.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from schools.forms.base import ReturnForm
from schools.forms.fields import YesNoField
from schools.forms.leaver.fields import LeaverFields
from schools.forms.leaver.grounds import GROUND_CHECKS, Answers
from schools.forms.leaver.layout import leaver_layout
from schools.forms.leaver.messages import (
    ERROR_DELETION_BEFORE_GROUND,
    ERROR_DELETION_IN_FUTURE,
    ERROR_DESTINATION_MUST_BE_NONE,
    ERROR_DESTINATION_MUST_BE_SCHOOL,
    ERROR_DESTINATION_REQUIRED,
    ERROR_MOVING_REQUIRED,
    ERROR_START_DATE_REQUIRED,
    WARNING_KEY_INFORMATION_MISSING,
    WARNING_LATE,
    WARNING_S2S_TO_DO,
)
from schools.forms.leaver.questions import (
    ADDRESS_FIELDS,
    ALIAS_CONDITIONS,
    ALIASES,
    CONSENT_FIELDS,
    DESTINATION_FIELDS,
    GROUND_FIELDS,
    MOVING_NO,
    MOVING_NOT_KNOWN,
    MOVING_YES,
    NO_SCHOOL_GROUNDS,
    REQUIRED_WHEN_SHOWN,
    SCHOOL_GROUNDS,
    fields_for_ground,
)
from schools.forms.school_picker import SchoolSearchStep
from schools.models import DeletionGround, DestinationType, LeaverReturn, School
from schools.rules import SCHOOL_DESTINATIONS, missing_key_leaver_information

G = DeletionGround
D = DestinationType


class LeaverReturnForm(SchoolSearchStep, LeaverFields):
    """The deletion return: the questions of `LeaverFields`, asked and checked as the
    answers so far require, and saved onto a `LeaverReturn`."""

    class Meta(ReturnForm.Meta):
        model = LeaverReturn
        fields = (
            *ReturnForm.Meta.fields,
            "ground",
            "ground_met_date",
            "deletion_date",
            "parent_notice_date",
            "leave_end_date",
            "absence_start_date",
            "la_enquiries_confirmed",
            "exclusion_date",
            "la_arranged_place",
            "s47_enquiries",
            "new_address",
            "new_postcode",
            "destination_type",
            "destination_school",
            "destination_school_name",
            "destination_la",
            "destination_country",
            "s2s_lost_pupil_uploaded",
        )
        # ground_details, enquiries_made, destination_start_date and admission_confirmed are
        # set on the instance from the aliases in clean() (ALIASES).

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The page's order, so that the error summary lists the errors in the same order.
        self.order_fields(
            [
                *self.PUPIL_FIELDS,
                "ground",
                *(name for g in DeletionGround for name in fields_for_ground(g)),
                "ground_met_date",
                "deletion_date",
                "moving",
                *ADDRESS_FIELDS,
                "destination_type",
                *(name for d in DestinationType for name in DESTINATION_FIELDS[d]),
            ]
        )
        if self.instance.pk:
            # A saved return shows its school even if it has since closed.
            schools = School.objects.all()
        else:
            schools = School.objects.in_area().open()
            if self.school is not None:
                schools = schools.exclude(pk=self.school.pk)
        field = self.fields["destination_school"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = schools
        if self.instance.pk:
            self._initial_from_instance(self.instance)

    def _initial_from_instance(self, leaver: LeaverReturn) -> None:
        """Put a saved return's answers back into the questions they were asked in."""
        for alias, model_field in ALIASES.items():
            condition, value = ALIAS_CONDITIONS[alias]
            if getattr(leaver, condition) == value:
                self.initial[alias] = getattr(leaver, model_field)
        if leaver.ground == G.H:
            self.initial["la_enquiries_confirmed_h"] = leaver.la_enquiries_confirmed
        if leaver.ground != G.K:
            current = _address(leaver.address_line_1, leaver.address_line_2, leaver.town)
            if not leaver.new_address:
                self.initial["moving"] = MOVING_NOT_KNOWN
            elif leaver.new_address == current and leaver.new_postcode == leaver.postcode:
                self.initial["moving"] = MOVING_NO
            else:
                self.initial["moving"] = MOVING_YES

    def layout_fields(self) -> list[Any]:
        return leaver_layout(self)

    # -- validation -----------------------------------------------------------------------
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        today = timezone.localdate()
        ground = data.get("ground") or ""
        met: date | None = data.get("ground_met_date")
        deleted: date | None = data.get("deletion_date")

        if ground in NO_SCHOOL_GROUNDS and not data.get("destination_type"):
            # Home education or death: there is no destination to ask about.
            data["destination_type"] = D.NONE
        destination = data.get("destination_type") or ""
        moving = data.get("moving") or ""
        shown = self._shown(ground, destination, moving)
        self._forget_hidden(data, shown)

        if deleted and deleted > today:
            self.add_error("deletion_date", ERROR_DELETION_IN_FUTURE)
        elif deleted and met and deleted < met:
            self.add_error("deletion_date", ERROR_DELETION_BEFORE_GROUND)
        self._require_shown(data, shown)
        if ground != G.K and not moving:
            self.add_error("moving", ERROR_MOVING_REQUIRED)
        if not destination:
            self.add_error("destination_type", ERROR_DESTINATION_REQUIRED)
        self._clean_ground(ground, Answers(data, met, deleted, today, self.school))
        self._clean_destination(data, ground, destination)

        self._to_model_fields(data, ground, moving)
        return data

    def _require_shown(self, data: dict[str, Any], shown: set[str]) -> None:
        """The questions that apply are required (they are optional on the field)."""
        for name in sorted(shown & REQUIRED_WHEN_SHOWN.keys(), key=list(self.fields).index):
            if name not in self.errors and data.get(name) in (None, ""):
                self.add_error(name, REQUIRED_WHEN_SHOWN[name])

    def _clean_ground(self, ground: str, answers: Answers) -> None:
        """The chosen ground's own check (`schools.forms.leaver.grounds.GROUND_CHECKS`)."""
        check = GROUND_CHECKS.get(ground)
        if check is not None:
            for name, message in check(answers):
                self.add_error(name, message)

    def _clean_destination(self, data: dict[str, Any], ground: str, destination: str) -> None:
        """A ground that means a new school needs one; one that means none, "No school"."""
        if ground in SCHOOL_GROUNDS and destination and destination not in SCHOOL_DESTINATIONS:
            self.add_error(
                "destination_type", ERROR_DESTINATION_MUST_BE_SCHOOL.format(ground=ground)
            )
        elif ground in NO_SCHOOL_GROUNDS and destination != D.NONE:
            self.add_error("destination_type", ERROR_DESTINATION_MUST_BE_NONE.format(ground=ground))
        elif ground == G.A and destination in SCHOOL_DESTINATIONS:
            # Registered at another school: the school knows when the pupil starts there.
            start = f"start_date_{destination}"
            if data.get(start) is None and start not in self.errors:
                self.add_error(start, ERROR_START_DATE_REQUIRED)

    def _shown(self, ground: str, destination: str, moving: str) -> set[str]:
        """The conditional questions that apply to these answers."""
        shown = set(fields_for_ground(ground))
        if ground != G.K and moving == MOVING_YES:
            shown.update(ADDRESS_FIELDS)
        shown.update(DESTINATION_FIELDS.get(destination, ()))
        return shown

    def _conditional_fields(self) -> set[str]:
        return {
            *(f for fields in GROUND_FIELDS.values() for f in fields),
            *CONSENT_FIELDS,
            *(f for fields in DESTINATION_FIELDS.values() for f in fields),
            *ADDRESS_FIELDS,
        }

    def _forget_hidden(self, data: dict[str, Any], shown: set[str]) -> None:
        """Drop the answers, and any errors, of questions that do not apply (hidden by the
        reveal, or typed before the person changed their mind)."""
        for name in self._conditional_fields() - shown:
            self.errors.pop(name, None)
            data[name] = (
                None
                if isinstance(
                    self.fields[name],
                    forms.DateField | forms.MultiValueField | forms.ModelChoiceField | YesNoField,
                )
                else ""
            )
        if data.get("ground") == G.K:
            self.errors.pop("moving", None)
            data["moving"] = ""

    def _to_model_fields(self, data: dict[str, Any], ground: str, moving: str) -> None:
        """Put the aliases that apply on the instance; the booleans are never None."""
        saved: dict[str, Any] = {
            "ground_details": "",
            "enquiries_made": "",
            "destination_start_date": None,
            "admission_confirmed": False,
        }
        for alias, model_field in ALIASES.items():
            condition, value = ALIAS_CONDITIONS[alias]
            if data.get(condition) == value and data.get(alias) is not None:
                saved[model_field] = data[alias]
        saved["admission_confirmed"] = bool(saved["admission_confirmed"])
        for model_field, value in saved.items():
            setattr(self.instance, model_field, value)
        if ground == G.H:
            # One model field records the joint enquiries for (h) and (i).
            data["la_enquiries_confirmed"] = data.get("la_enquiries_confirmed_h")
        for name in (
            "la_enquiries_confirmed",
            "la_enquiries_confirmed_h",
            "s2s_lost_pupil_uploaded",
        ):
            data[name] = bool(data.get(name))
        if moving == MOVING_NO:
            # Not moving: the new address is the current one, so that a blank new address
            # always means "not known" (Ealing's key leaver information).
            data["new_address"] = _address(
                data.get("address_line_1", ""), data.get("address_line_2", ""), data.get("town", "")
            )
            data["new_postcode"] = data.get("postcode", "")

    # -- warnings -------------------------------------------------------------------------
    def warnings(self) -> list[str]:
        from schools.services import leaver_is_late, s2s_reminder_school_days

        found = []
        deleted = self.cleaned_data.get("deletion_date")
        if deleted and leaver_is_late(deleted, timezone.localdate()):
            found.append(WARNING_LATE.format(deleted=deleted))
        found.extend(super().warnings())
        data = self.cleaned_data
        if data.get("destination_type") == D.UNKNOWN and not data.get("s2s_lost_pupil_uploaded"):
            found.append(WARNING_S2S_TO_DO.format(days=s2s_reminder_school_days()))
        missing = self.missing_key_information()
        if missing:
            found.append(WARNING_KEY_INFORMATION_MISSING.format(missing=", ".join(missing)))
        return found

    def missing_key_information(self) -> list[str]:
        """Ealing's key leaver information this return does not give: the one rule
        (`schools.rules.missing_key_leaver_information`) that also decides whether sending it
        raises a referral, so the warning says what will happen. The instance holds the
        answers (clean() and the ModelForm put them there); the parents are not saved yet."""
        return missing_key_leaver_information(
            self.instance, parent_phones=[p.get("phone", "") for p in self.parents()]
        )

    # -- check your answers ---------------------------------------------------------------
    def summary_sections(self) -> list[tuple[str, tuple[str, ...]]]:
        data = self.cleaned_data
        ground = data.get("ground") or ""
        destination = data.get("destination_type") or ""
        moving = data.get("moving") or ""
        leaving = ("ground", *fields_for_ground(ground), "ground_met_date", "deletion_date")
        going: tuple[str, ...] = ()
        if ground != G.K:
            going = ("moving", *(ADDRESS_FIELDS if moving == MOVING_YES else ()))
        going = (*going, "destination_type", *DESTINATION_FIELDS.get(destination, ()))
        sections = super().summary_sections()
        sections[1:1] = [("Why the pupil is leaving", leaving), ("Where the pupil is going", going)]
        return sections


def _address(line_1: str, line_2: str, town: str) -> str:
    return ", ".join(p for p in (line_1, line_2, town) if p)
