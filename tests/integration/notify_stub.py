"""A stand-in for GOV.UK Notify's API (v2), on a real socket in a thread, that checks every
request the official client makes against Notify's documented contract and answers as the
documentation says (https://docs.notifications.service.gov.uk/rest-api.html).

Checked on every request: the path (POST /v2/notifications/email, POST
/v2/notifications/letter, GET /v2/notifications/{id}); the ``Authorization: Bearer`` JWT
(header typ JWT, alg HS256; ``iss`` the service id; ``iat`` within 30 seconds of now; signed
with the secret part of the key, whose format is ``{key name}-{service id}-{secret}``); and
the JSON body (required and allowed fields, UUID template ids, the personalisation the
templates here ask for, a letter's address lines). A request that breaks the contract is
recorded in ``violations`` and answered as Notify would (403 AuthError, 400 ValidationError
or BadRequestError); the tests assert there are none.

``mode``: "ok" (201 with the documented body), "400" (BadRequestError), "500"
(Exception), "hang" (accepts the connection, reads the request and never answers).
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt

#: The placeholders of the templates the stub knows (all ask for the same two).
PLACEHOLDERS = ("subject", "body")
EMAIL_FIELDS = {
    "email_address",
    "template_id",
    "personalisation",
    "reference",
    "email_reply_to_id",
    "one_click_unsubscribe_url",
    "sanitise_content_for",
}
LETTER_FIELDS = {"template_id", "personalisation", "reference", "postage"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
NOTIFICATION_PATH = re.compile(r"^/v2/notifications/([0-9a-f-]{36})$")


@dataclass
class Recorded:
    method: str
    path: str
    body: dict[str, Any]
    claims: dict[str, Any]


@dataclass
class NotifyStub:
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    mode: str = "ok"
    requests: list[Recorded] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    #: Notification id -> what was sent and its status (set by the tests: "delivered" ...).
    notifications: dict[str, dict[str, Any]] = field(default_factory=dict)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def api_key(self) -> str:
        return f"cme_test-{self.service_id}-{self.secret}"

    def posts(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST" and r.path == path]

    def set_status(self, notification_id: str, status: str) -> None:
        self.notifications[notification_id]["status"] = status


def _check_jwt(stub: NotifyStub, header: str | None) -> dict[str, Any] | str:
    if not header or not header.startswith("Bearer "):
        return "no Bearer token in the Authorization header"
    token = header.removeprefix("Bearer ")
    try:
        headers = jwt.get_unverified_header(token)
        claims: dict[str, Any] = jwt.decode(
            token,
            key=stub.secret,
            algorithms=["HS256"],
            options={"verify_iat": False, "require": ["iss", "iat"]},
        )
    except jwt.PyJWTError as exc:
        return f"JWT not valid: {type(exc).__name__}"
    if headers.get("alg") != "HS256" or headers.get("typ") != "JWT":
        return f"JWT header {headers}"
    if claims["iss"] != stub.service_id:
        return "JWT iss is not the service id"
    if abs(time.time() - int(claims["iat"])) > 30:
        return "JWT iat not within 30 seconds"
    return claims


def _check_personalisation(body: dict[str, Any], problems: list[str]) -> None:
    personalisation = body.get("personalisation")
    if not isinstance(personalisation, dict):
        problems.append("personalisation is not an object")
        return
    for name in PLACEHOLDERS:
        if not isinstance(personalisation.get(name), str) or not personalisation[name]:
            problems.append(f"Missing personalisation: {name}")


def _check_email(body: dict[str, Any]) -> list[str]:
    problems = [f"unknown field {k}" for k in body if k not in EMAIL_FIELDS]
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", str(body.get("email_address", ""))):
        problems.append("email_address Not a valid email address")
    if not UUID.match(str(body.get("template_id", ""))):
        problems.append("template_id is not a valid UUID")
    if "reference" in body and not isinstance(body["reference"], str):
        problems.append("reference is not a string")
    _check_personalisation(body, problems)
    return problems


def _check_letter(body: dict[str, Any]) -> list[str]:
    problems = [f"unknown field {k}" for k in body if k not in LETTER_FIELDS]
    if not UUID.match(str(body.get("template_id", ""))):
        problems.append("template_id is not a valid UUID")
    _check_personalisation(body, problems)
    personalisation = body.get("personalisation") or {}
    lines = [personalisation.get(f"address_line_{n}") for n in range(1, 8)]
    given = [line for line in lines if line]
    if len(given) < 3 or lines[: len(given)] != given:
        problems.append("Address must be at least 3 lines, from address_line_1")
    return problems


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the tests read `requests` and `violations`

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, error: str, message: str) -> None:
        self._answer(
            status, {"errors": [{"error": error, "message": message}], "status_code": status}
        )

    def _read(self) -> tuple[dict[str, Any], dict[str, Any]] | None:
        stub = self.server.stub
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        claims = _check_jwt(stub, self.headers.get("Authorization"))
        if isinstance(claims, str):
            stub.violations.append(f"{self.command} {self.path}: {claims}")
            self._error(403, "AuthError", f"Invalid token: {claims}")
            return None
        body: dict[str, Any] = {}
        if self.command == "POST":
            if self.headers.get("Content-Type") != "application/json":
                stub.violations.append(f"POST {self.path}: Content-Type not JSON")
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                stub.violations.append(f"POST {self.path}: body is not JSON")
                self._error(400, "BadRequestError", "Invalid JSON supplied in POST data")
                return None
        with stub.lock:
            stub.requests.append(Recorded(self.command, self.path, body, claims))
        return body, claims

    def _fault(self) -> bool:
        stub = self.server.stub
        if stub.mode == "hang":
            stub.release.wait(timeout=60)  # holds the connection, says nothing
            return True
        if stub.mode == "500":
            self._error(500, "Exception", "Internal server error")
            return True
        return False

    def do_POST(self) -> None:
        stub = self.server.stub
        if self.path not in ("/v2/notifications/email", "/v2/notifications/letter"):
            stub.violations.append(f"POST to {self.path}")
            self._error(404, "NotFound", "Not found")
            return
        read = self._read()
        if read is None or self._fault():
            return
        body, _claims = read
        letter = self.path.endswith("/letter")
        problems = _check_letter(body) if letter else _check_email(body)
        if problems:
            stub.violations.extend(f"POST {self.path}: {p}" for p in problems)
            self._error(400, "ValidationError", problems[0])
            return
        if stub.mode == "400":  # a contract-valid request Notify still refuses
            self._error(
                400, "BadRequestError", "Can't send to this recipient using a team-only API key"
            )
            return
        self._created(body, letter=letter)

    def _created(self, body: dict[str, Any], *, letter: bool) -> None:
        stub = self.server.stub
        base = f"http://{self.headers.get('Host')}"
        notification_id = str(uuid.uuid4())
        template = body["template_id"]
        personalisation = body["personalisation"]
        content: dict[str, Any] = {
            "subject": personalisation["subject"],
            "body": personalisation["body"],
        }
        if not letter:
            content["from_email"] = "cme.team@notifications.service.gov.uk"
        answer: dict[str, Any] = {
            "id": notification_id,
            "reference": body.get("reference"),
            "content": content,
            "uri": f"{base}/v2/notifications/{notification_id}",
            "template": {
                "id": template,
                "version": 1,
                "uri": f"{base}/v2/template/{template}/version/1",
            },
            "scheduled_for": None,
        }
        if letter:
            answer["postage"] = body.get("postage", "second")
        with stub.lock:
            stub.notifications[notification_id] = {
                "type": "letter" if letter else "email",
                "status": "accepted" if letter else "sending",
                "body": body,
            }
        self._answer(201, answer)

    def do_GET(self) -> None:
        stub = self.server.stub
        match = NOTIFICATION_PATH.match(self.path)
        if not match:
            stub.violations.append(f"GET {self.path}")
            self._error(404, "NotFound", "Not found")
            return
        if self._read() is None or self._fault():
            return
        known = stub.notifications.get(match.group(1))
        if known is None:
            self._error(404, "NoResultFound", "No result found")
            return
        sent = known["body"]
        self._answer(
            200,
            {
                "id": match.group(1),
                "reference": sent.get("reference"),
                "email_address": sent.get("email_address"),
                "type": known["type"],
                "status": known["status"],
                "template": {"id": sent["template_id"], "version": 1, "uri": ""},
                "body": sent["personalisation"]["body"],
                "subject": sent["personalisation"]["subject"],
                "created_at": "2026-12-02T09:00:00.000000Z",
                "created_by_name": None,
                "sent_at": None,
                "completed_at": None,
            },
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, stub: NotifyStub) -> None:
        self.stub = stub
        super().__init__(("127.0.0.1", 0), _Handler)


@contextmanager
def running(stub: NotifyStub) -> Iterator[str]:
    """Serve ``stub`` on a free loopback port; yields its base URL."""
    server = _Server(stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stub.release.set()
        server.shutdown()
        server.server_close()


#: The generic templates the settings name in the tests (any UUIDs: the stub accepts them).
EMAIL_TEMPLATE = "4f1d2c3b-0000-4000-8000-00000000e001"
LETTER_TEMPLATE = "4f1d2c3b-0000-4000-8000-00000000f001"


def configure(settings: Any, stub: NotifyStub, base_url: str) -> None:
    """Point the outbox at ``stub``: provider notify, its key, base URL and templates."""
    settings.CME_EMAIL_PROVIDER = "notify"
    settings.NOTIFY_API_KEY = stub.api_key
    settings.NOTIFY_BASE_URL = base_url
    settings.NOTIFY_EMAIL_TEMPLATE_ID = EMAIL_TEMPLATE
    settings.NOTIFY_LETTER_TEMPLATE_ID = LETTER_TEMPLATE
    settings.NOTIFY_TEMPLATES = {}
    settings.NOTIFY_EMAIL_REPLY_TO_ID = ""
    settings.EMAIL_TIMEOUT = 0.5


@contextmanager
def outbox_through(
    settings: Any, monkeypatch: Any, enqueued: list[str] | None = None
) -> Iterator[NotifyStub]:
    """The outbox sends through a running stand-in; the tasks' enqueue is recorded in
    ``enqueued`` (the tests run the delivery as a worker would). No request may have broken
    the contract."""

    def enqueue(task: Any, *args: Any, **kwargs: Any) -> bool:
        if enqueued is not None:
            enqueued.append(task.name)
        return True

    monkeypatch.setattr("cme.tasks.enqueue", enqueue)
    stub = NotifyStub()
    with running(stub) as url:
        configure(settings, stub, url)
        yield stub
    assert stub.violations == []
