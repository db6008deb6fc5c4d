"""A real OpenID provider for the single sign-on journeys: tests/oidc_provider/server.js
(panva's oidc-provider, OpenID Certified) in a node process on a free loopback port, with
the people of the council's directory below. ``make test`` installs it (npm ci)."""

from __future__ import annotations

import json
import select
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PROVIDER_DIR = Path(__file__).resolve().parents[1] / "oidc_provider"
CLIENT_ID = "cme-casework"
CLIENT_SECRET = "test-client-secret-0123456789"
PASSWORD = "council-password"

GROUP_ROLES = {
    "cme-officers": "officer",
    "cme-managers": "manager",
    "cme-admins": "administrator",
}


@dataclass(frozen=True)
class Person:
    username: str
    sub: str
    email: str
    name: str
    groups: list[str] = field(default_factory=list)


OFFICER = Person(
    "aoki",
    "9f1c-officer",
    "a.okafor@la.example.gov.uk",
    "Ada Okafor",
    ["cme-officers", "all-staff"],
)
MANAGER = Person(
    "mbell", "41aa-manager", "m.bell@la.example.gov.uk", "Mo Bell", ["cme-officers", "cme-managers"]
)
NO_ROLE = Person(
    "cfinch", "77de-finance", "c.finch@la.example.gov.uk", "Cy Finch", ["finance", "all-staff"]
)
PEOPLE = (OFFICER, MANAGER, NO_ROLE)


@dataclass
class Provider:
    url: str  # where it answers
    issuer: str  # what it says it is
    process: subprocess.Popen[str]


#: Seconds the provider has to say it is listening, and how many times it is started.
START_SECONDS = 20
START_ATTEMPTS = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_provider(
    site_url: str, *, issuer_path: str = "", clock_offset_seconds: int = 0
) -> Provider:
    for _ in range(START_ATTEMPTS):
        provider = _start_once(
            site_url, issuer_path=issuer_path, clock_offset_seconds=clock_offset_seconds
        )
        if provider is not None:
            return provider
    pytest.fail(
        f"The test OpenID provider did not start in {START_ATTEMPTS} attempts", pytrace=False
    )


def _start_once(site_url: str, *, issuer_path: str, clock_offset_seconds: int) -> Provider | None:
    node = shutil.which("node")
    if node is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(
            "The test OpenID provider is not installed: run `make test-oidc-provider` "
            "(npm ci in tests/oidc_provider; Node.js from scripts/system-deps.sh)",
            pytrace=False,
        )
    port = _free_port()  # taken meanwhile by another process: the start fails and is tried again
    url = f"http://127.0.0.1:{port}"
    config = {
        "port": port,
        "issuer": url + issuer_path,
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{site_url}/sign-in/council/callback/"],
            "post_logout_redirect_uris": [f"{site_url}/sign-in/"],
        },
        "accounts": [
            {
                "sub": p.sub,
                "username": p.username,
                "password": PASSWORD,
                "email": p.email,
                "name": p.name,
                "groups": p.groups,
            }
            for p in PEOPLE
        ],
        "clockOffsetSeconds": clock_offset_seconds,
        "idTokenSeconds": 300,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(config, f)
    process = subprocess.Popen(  # noqa: S603 - our own script, our own arguments
        [node, str(PROVIDER_DIR / "server.js"), f.name],
        cwd=PROVIDER_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    # "listening <port>" once it answers; nothing if it died, or (seen once in CI) if it
    # stalls before listening: then it is killed and started again, never waited on forever.
    ready, _, _ = select.select([process.stdout], [], [], START_SECONDS)
    line = process.stdout.readline() if ready else ""
    Path(f.name).unlink()
    if not line.startswith("listening"):
        process.kill()
        process.wait()
        return None
    return Provider(url=url, issuer=url + issuer_path, process=process)
