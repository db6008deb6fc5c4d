"""The client's address, as seen through the reverse proxies we trust.

X-Forwarded-For is read only when the request comes from a trusted proxy
(``CME_TRUSTED_PROXIES``: addresses or networks); its hops are walked from the right, past
our own proxies, to the first address we do not trust: the client. Otherwise REMOTE_ADDR.
Anyone can send the header, so it is never believed from an untrusted address.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


def untrusted_forwarding(request: HttpRequest) -> bool:
    """True when proxies are configured and this request did not come from one of them: its
    X-Forwarded-* headers are anyone's words (cme.middleware.TrustedProxyHeadersMiddleware)."""
    networks = _networks(tuple(getattr(settings, "CME_TRUSTED_PROXIES", ())))
    return bool(networks) and not _trusted(str(request.META.get("REMOTE_ADDR") or ""), networks)


def client_ip(request: HttpRequest) -> str:
    """The real client address (also django-axes' AXES_CLIENT_IP_CALLABLE)."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    networks = _networks(tuple(getattr(settings, "CME_TRUSTED_PROXIES", ())))
    if not networks or not _trusted(remote, networks):
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    client = remote
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # a malformed hop: stop at the last address a trusted proxy vouched for
        client = hop
        if not _trusted(hop, networks):
            break
    return client
