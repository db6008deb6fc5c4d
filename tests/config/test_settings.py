"""Production settings leave the demo app out; `make run`'s and the tests' put it in."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = "import django; django.setup(); from django.conf import settings; print('demo' in settings.INSTALLED_APPS)"


def _installed(**env: str) -> str:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CME_"))}
    result = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()


def test_production_settings_do_not_install_the_demo_app() -> None:
    assert _installed(DJANGO_SECRET_KEY="a-real-secret-key-" + "x" * 40) == "False"


def test_make_run_settings_install_the_demo_app() -> None:
    # scripts/run-dev.sh: DEBUG on; the Makefile's seed_demo: the placeholder key.
    assert _installed(DJANGO_DEBUG="true") == "True"
    assert _installed() == "True"


def test_the_demo_can_be_asked_for_explicitly() -> None:
    assert _installed(DJANGO_SECRET_KEY="a-real-secret-key-" + "x" * 40, CME_DEMO="true") == "True"
