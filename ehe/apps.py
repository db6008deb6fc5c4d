from __future__ import annotations

from django.apps import AppConfig


class EheConfig(AppConfig):
    name = "ehe"
