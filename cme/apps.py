from django.apps import AppConfig


class CmeConfig(AppConfig):
    name = "cme"
    verbose_name = "CME casework"

    def ready(self) -> None:
        from cme import crispy_fixes
        from cme.outbox import checks  # noqa: F401 - registers the GOV.UK Notify checks

        crispy_fixes.apply()
