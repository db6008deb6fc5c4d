from django.apps import AppConfig


class CmeConfig(AppConfig):
    name = "cme"
    verbose_name = "CME casework"

    def ready(self) -> None:
        from cme import crispy_fixes

        crispy_fixes.apply()
