from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data and the tools for `make run`, the tests and the benchmarks
    (`seed_demo`, `seed_scale`, `demo_totp`). Never installed with production settings
    (config/settings.py: CME_DEMO)."""

    name = "demo"
    verbose_name = "Demo data"
