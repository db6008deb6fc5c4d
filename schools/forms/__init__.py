"""The form for each kind of return. Each kind's module owns its form."""

from schools.forms.absence import AbsenceNotificationForm
from schools.forms.base import ReturnForm
from schools.forms.joiner import JoinerReturnForm
from schools.forms.leaver import LeaverReturnForm
from schools.forms.part_time import PartTimeTimetableForm
from schools.models import ReturnKind

RETURN_FORMS: dict[ReturnKind, type[ReturnForm]] = {
    ReturnKind.JOINER: JoinerReturnForm,
    ReturnKind.LEAVER: LeaverReturnForm,
    ReturnKind.PART_TIME: PartTimeTimetableForm,
    ReturnKind.ABSENCE: AbsenceNotificationForm,
}

__all__ = ["RETURN_FORMS", "JoinerReturnForm", "ReturnForm"]
