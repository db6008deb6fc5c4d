from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_migrate


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        post_migrate.connect(_restore_census_days, sender=self)


def _restore_census_days(**kwargs: Any) -> None:
    """After a flush (a transactional test's teardown sends post_migrate) the seeded census
    days are put back: the return screen starts from them."""
    from reports.census_data import seed_census_days
    from reports.models import CensusDate

    connection = connections[kwargs.get("using", DEFAULT_DB_ALIAS)]
    # Migrated back before the table was made: nothing to restore.
    if CensusDate._meta.db_table not in connection.introspection.table_names():
        return
    if not CensusDate.objects.using(connection.alias).exists():
        seed_census_days(CensusDate)
