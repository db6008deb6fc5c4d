"""The client's address behind the reverse proxy (cme/net.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.test import RequestFactory, override_settings

from cme.net import client_ip


def request(remote: str, forwarded: str | None = None) -> HttpRequest:
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_with_no_trusted_proxy_the_header_is_ignored() -> None:
    assert client_ip(request("192.0.2.1", "198.51.100.7")) == "192.0.2.1"


@override_settings(CME_TRUSTED_PROXIES=["10.0.0.0/8", "172.18.0.1"])
def test_the_header_is_believed_only_from_a_trusted_proxy() -> None:
    assert client_ip(request("10.1.2.3", "198.51.100.7")) == "198.51.100.7"
    assert client_ip(request("172.18.0.1", "198.51.100.7")) == "198.51.100.7"
    assert client_ip(request("192.0.2.1", "198.51.100.7")) == "192.0.2.1"


@override_settings(CME_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_the_client_is_the_first_untrusted_hop_from_the_right() -> None:
    # The client sent its own (false) header; our proxies appended what they saw.
    assert client_ip(request("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.9")) == "198.51.100.7"
    assert client_ip(request("10.0.0.2", "10.0.0.5")) == "10.0.0.5"
    assert client_ip(request("10.0.0.2", "")) == "10.0.0.2"
    assert client_ip(request("10.0.0.2", "not-an-address, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(request("10.0.0.2", "198.51.100.7, junk")) == "10.0.0.2"
