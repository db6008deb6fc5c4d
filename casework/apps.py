from __future__ import annotations

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"

    def ready(self) -> None:
        from django.db.models import Model, Q

        from casework.models import Case
        from cme.audit import register_child_finder
        from schools.models import SchoolReturn

        def return_children(school_return: Model) -> list[int]:
            # The children of the cases this return's referrals opened or joined.
            return list(
                Case.objects.filter(
                    Q(referral__source_return_id=school_return.pk)
                    | Q(further_referrals__source_return_id=school_return.pk)
                ).values_list("child_id", flat=True)
            )

        # A return's page is a view of those children's records (the access log).
        register_child_finder(SchoolReturn, return_children)
