"""The form for each kind of return. Each kind's module owns its form."""

from schools.forms.base import ReturnForm
from schools.forms.joiner import JoinerReturnForm
from schools.models import ReturnKind

RETURN_FORMS: dict[ReturnKind, type[ReturnForm]] = {
    ReturnKind.JOINER: JoinerReturnForm,
}

__all__ = ["RETURN_FORMS", "JoinerReturnForm", "ReturnForm"]
