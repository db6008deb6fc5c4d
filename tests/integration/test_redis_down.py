"""Fault drill (issue 12 A2): Redis stopped, the web keeps working.

The test settings use a local-memory cache; here the cache is configured as production
configures it from REDIS_URL (config.settings.cache_settings), first on the shared test Redis
(db 6) to show the configuration is the real one, then on a port where nothing listens.
Sign-in (password and two-factor code), the public referral and the dashboard must answer.
"""

from __future__ import annotations

import socket
import time
from typing import Any

import environ
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cme.models import Role
from config.settings import cache_settings
from referrals.models import Referral
from tests.conftest import client_for
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.referrals.helpers import public_post
from tests.transfers.helpers import moved_case, send
from transfers.models import TransferDownload

pytestmark = pytest.mark.integration


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again: nothing listens there


def _redis_cache(url: str) -> dict[str, Any]:
    return {"default": cache_settings(environ.Env.cache_url_config(url))}


@pytest.fixture
def redis_down(settings: Any) -> None:
    settings.CACHES = _redis_cache(f"redis://127.0.0.1:{_dead_port()}/6")
    assert cache.__class__.__name__ == "ConnectionProxy"


def test_the_production_cache_is_the_fail_open_redis_backend(settings: Any) -> None:
    settings.CACHES = _redis_cache("redis://127.0.0.1:6379/6")
    from django.core.cache import caches

    assert type(caches["default"]).__name__ == "FailOpenRedisCache"
    cache.set("cme:drill", "up", 30)
    assert cache.get("cme:drill") == "up"  # the shared test Redis answers through it
    cache.delete("cme:drill")


@pytest.mark.django_db
def test_sign_in_with_password_and_code_works_with_redis_down(
    redis_down: None, settings: Any
) -> None:
    settings.CME_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp would make the next code wait 1 s
    officer = UserFactory.create(role=Role.OFFICER)
    device = TOTPDevice.objects.create(user=officer, name="App", confirmed=True)
    client = Client()
    started = time.monotonic()
    signed = client.post(
        reverse("login"), {"username": officer.email, "password": DEFAULT_PASSWORD}
    )
    assert signed.status_code == 302
    assert signed["Location"].startswith(reverse("two_factor_verify"))
    wrong = client.post(
        reverse("two_factor_verify"), {"code": "000000" if code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    verified = client.post(reverse("two_factor_verify"), {"code": code(device), "next": "/"})
    assert verified.status_code == 302, verified.content.decode()[:500]
    assert client.get(reverse("home"), follow=True).status_code == 200
    assert time.monotonic() - started < 10


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db
def test_the_public_referral_can_be_sent_with_redis_down(redis_down: None) -> None:
    client = Client()
    assert client.post(reverse("referrals:public_start"), public_post()).status_code == 302
    sent = client.post(reverse("referrals:public_check"))
    assert sent.status_code == 302, sent.content.decode()[:500]
    assert Referral.objects.count() == 1
    assert client.get(sent["Location"]).status_code == 200


@pytest.mark.django_db
def test_the_dashboard_answers_with_redis_down(redis_down: None) -> None:
    manager = UserFactory.create(role=Role.MANAGER)
    started = time.monotonic()
    for _ in range(3):
        assert client_for(manager).get(reverse("dashboard:dashboard")).status_code == 200
    assert time.monotonic() - started < 10


@pytest.mark.django_db
def test_the_transfer_download_limit_holds_with_redis_down(redis_down: None, settings: Any) -> None:
    """The wrong-address limit is counted in the database: with Redis down the page answers
    and the limit still stops guessing (it does not fail open, nor fail with a 500)."""
    settings.CME_TRANSFER_DOWNLOAD_GUESSES = "2/h"
    officer = UserFactory.create(role=Role.OFFICER)
    _transfer, token = send(moved_case(officer), officer)
    url = reverse("transfers:download", args=[token])
    client = Client()
    wrong = {"email": "guess@else.example.com", "file": "ctf"}
    assert client.get(url).status_code == 200
    assert client.post(url, wrong).status_code == 200
    assert client.post(url, wrong).status_code == 429
    assert client.post(url, {"email": "cme@la888.example.gov.uk", "file": "ctf"}).status_code == 429
    assert not TransferDownload.objects.exists()
