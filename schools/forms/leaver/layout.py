"""The leaver return's page: the ground first, each with its own questions revealed under
its radio, then where the pupil is going, then the parents or carers the pupil lives with."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crispy_forms_gds.layout import HTML, ConditionalQuestion, Field

from cme.forms import section
from schools.forms.layout import Radios
from schools.forms.leaver.questions import CONSENT_FIELDS, fields_for_ground
from schools.models import DeletionGround, DestinationType

if TYPE_CHECKING:
    from schools.forms.base import ReturnForm

G = DeletionGround
D = DestinationType


def _note(words: str) -> HTML:
    return HTML(f'<p class="govuk-body">{words}</p>')


def leaver_layout(form: ReturnForm) -> list[Any]:
    ground_questions = {
        G.A: [
            _note(
                "Tell us the new school and the date the pupil starts there under "
                "\u201cWhere the pupil is going\u201d."
            )
        ],
        G.D: [
            _note(
                "Tell us the school named in the amended order under \u201cWhere the "
                "pupil is going\u201d."
            )
        ],
        G.F: [
            Field("parent_notice_date"),
            *(
                Field.radios(name, inline=True)
                for name in fields_for_ground(G.F)
                if name in CONSENT_FIELDS
            ),
            _note("Under \u201cWhere the pupil is going\u201d, select \u201cNo school\u201d."),
        ],
        G.H: [
            Field("leave_end_date"),
            Field.textarea("enquiries_h", rows=4),
            Field.radios("la_enquiries_confirmed_h", inline=True),
        ],
        G.I: [
            Field("absence_start_date"),
            Field.textarea("enquiries_i", rows=4),
            Field.radios("la_enquiries_confirmed", inline=True),
        ],
        G.K: [_note("You do not need to tell us about a new address or where the pupil is going.")],
        G.O: [Field("exclusion_date")],
        **{g: [Field.textarea(f"details_{g}", rows=3)] for g in "cegjmn"},
    }
    return [
        *form.pupil_layout(),
        section(
            Radios(
                "ground",
                *[
                    ConditionalQuestion(g.label, *ground_questions.get(g, []))
                    for g in DeletionGround
                ],
                legend_size="s",
            ),
            Field("ground_met_date"),
            Field("deletion_date"),
            legend="Why the pupil is leaving",
        ),
        section(
            Radios(
                "moving",
                ConditionalQuestion(
                    "Yes",
                    Field.textarea("new_address", rows=3),
                    Field.text("new_postcode", field_width=10),
                ),
                "No, the pupil is staying at the address above",
                "We do not know",
                legend_size="s",
            ),
            Radios(
                "destination_type",
                ConditionalQuestion(
                    D.IN_AREA.label,
                    Field("destination_school"),
                    Field("start_date_in_area"),
                    Field.radios("admission_confirmed_in_area", inline=True),
                ),
                ConditionalQuestion(
                    D.OUT_OF_AREA.label,
                    Field.text("destination_school_name"),
                    Field.text("destination_la", field_width=20),
                    Field("start_date_out_of_area"),
                    Field.radios("admission_confirmed_out_of_area", inline=True),
                ),
                ConditionalQuestion(
                    D.ABROAD.label, Field.text("destination_country", field_width=20)
                ),
                "No school",
                ConditionalQuestion(
                    D.UNKNOWN.label, Field.radios("s2s_lost_pupil_uploaded", inline=True)
                ),
                legend_size="s",
            ),
            legend="Where the pupil is going",
        ),
        *form.parents_layout(legend="Parents or carers the pupil lives with"),
    ]
