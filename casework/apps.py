from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_migrate


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
        post_migrate.connect(_restore_reasons, sender=self)


def _restore_reasons(**kwargs: Any) -> None:
    """After a flush (which sends post_migrate: a transactional test's teardown) the DfE's
    list is put back, as Django puts back content types: it is data the code relies on."""
    from casework.models import CmeReason
    from casework.reasons_data import seed_reasons

    connection = connections[kwargs.get("using", DEFAULT_DB_ALIAS)]
    # Migrated back before the table was made: nothing to restore.
    if CmeReason._meta.db_table not in connection.introspection.table_names():
        return
    if not CmeReason.objects.using(connection.alias).exists():
        seed_reasons(CmeReason)
