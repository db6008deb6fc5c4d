"""Deletion (leaver) return: regulation 13(3), on a ground in regulation 9(1).

The School Attendance (Pupil Registration) (England) Regulations 2024. The return is made as
soon as a deletion ground is met and no later than the deletion itself (DOMAIN.md, "School
returns"). The form asks the ground first, then only what that ground needs (conditional
reveals under the chosen radio), then where the pupil is going, then the parents or carers
the pupil lives with.

Some questions are asked under more than one radio answer (the details of the ground, the
enquiries the school made, the new school's start date and admission). A field can be shown
only once on a page, so each place has its own form field (`details_c`, `enquiries_h`,
`start_date_in_area`, ...) and `clean()` copies the one that applies onto the model field
(`ALIASES`). Whatever belongs to a ground or destination that was not chosen is cleared, so
check your answers shows only what applies and nothing stale is saved.

- `messages`: the errors and warnings;
- `questions`: which questions each ground and destination asks, and where they are saved;
- `grounds`: each ground's own check (`GROUND_CHECKS`) and its school-day counts;
- `layout`: the page;
- `form`: `LeaverReturnForm`.
"""

from schools.forms.leaver.form import LeaverReturnForm

__all__ = ["LeaverReturnForm"]
