from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"

    def ready(self) -> None:
        from cme.notifications import register_audience
        from schools.models import SchoolMembership

        # A notification to ``school_id`` reaches the school's active staff.
        register_audience(
            "school_id", table=lambda: SchoolMembership._meta.db_table, key_column="school_id"
        )
