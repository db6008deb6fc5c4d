from __future__ import annotations

from django.apps import AppConfig


class CnisConfig(AppConfig):
    name = "cnis"
