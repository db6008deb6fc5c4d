"""Layout objects shared by the service's GOV.UK forms."""

from __future__ import annotations

from typing import Any

from crispy_forms.utils import TEMPLATE_PACK
from crispy_forms_gds.layout import ConditionalRadios, Size
from django.template.loader import render_to_string


class Radios(ConditionalRadios):
    """ConditionalRadios with a legend size, that leaves the template context as it found it
    (crispy-forms-gds's ConditionalQuestion pushes onto it and never pops).

    The radios and their reveals are numbered from 1 by the project's
    templates/gds/layout/conditional_question.html, as the error summary expects.
    """

    def __init__(self, field: str, *choices: Any, legend_size: str | None = None) -> None:
        super().__init__(field, *choices)
        self.legend_size = legend_size

    def render(
        self, form: Any, context: Any, template_pack: str = TEMPLATE_PACK, **kwargs: Any
    ) -> str:
        depth = len(context.dicts)
        try:
            bound_field = form[self.field]
            choices = self.render_choices(bound_field, form, context, template_pack, **kwargs)
            extra: dict[str, Any] = {"choices": choices, "field": bound_field}
            if self.legend_size:
                extra["legend_size"] = Size.for_legend(self.legend_size)
            context.update(extra)
            return render_to_string(self.get_template_name(template_pack), context.flatten())
        finally:
            del context.dicts[depth:]
