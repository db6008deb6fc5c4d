"""One fix to crispy-forms-gds 2.0.1, applied at start-up (CmeConfig.ready).

Its ConditionalQuestion numbers radios by their index in the field's choices, which counts a
blank "---------" choice when the field has one, and starts from 0 otherwise; plain radios
start from 1. The error summary links to `_1`, so every radio must be numbered from 1 among
the choices actually offered. The template override beside it
(templates/gds/layout/conditional_question.html) renders with this number.
"""

from __future__ import annotations

from typing import Any

from crispy_forms.utils import TEMPLATE_PACK, render_field
from crispy_forms_gds.layout import ConditionalQuestion
from django.template.loader import render_to_string


def _render(
    self: ConditionalQuestion,
    bound_field: Any,
    form: Any,
    context: Any,
    template_pack: str = TEMPLATE_PACK,
    **kwargs: Any,
) -> str:
    offered = [c for c in bound_field.field.choices if c[0] not in ("", None)]
    by_label = {str(c[1]): c for c in offered}
    choice = by_label[str(self.value)]
    position = list(by_label).index(str(self.value)) + 1
    conditional_content = "".join(
        render_field(field, form, context, template_pack=template_pack, **kwargs)
        for field in self.fields
    )
    context.update(
        {
            "choice": choice,
            "field": bound_field,
            "position": position,
            "conditional_content": conditional_content,
        }
    )
    return render_to_string(self.get_template_name(template_pack), context.flatten())


def apply() -> None:
    ConditionalQuestion.render = _render
