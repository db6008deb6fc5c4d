"""The people who use the service, their roles, and the who/when base every record shares."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from cme.models_base import choices_valid
from cme.text import strip_bidi_controls


class Role(models.TextChoices):
    SCHOOL_STAFF = "school_staff", "School staff"
    OFFICER = "officer", "CME officer"
    MANAGER = "manager", "CME manager"
    #: Elective home education (issue 17): the EHE register and the s437 notice route.
    EHE_OFFICER = "ehe_officer", "EHE officer"
    ADMINISTRATOR = "administrator", "Administrator"


#: Roles that work for the local authority (2FA, casework screens).
LA_ROLES = frozenset({Role.OFFICER, Role.MANAGER, Role.EHE_OFFICER, Role.ADMINISTRATOR})
#: Roles that work cases: a manager does everything an officer does.
CASEWORK_ROLES = frozenset({Role.OFFICER, Role.MANAGER})
#: Roles that work the EHE register (issue 17): EHE officers, and managers, who do everything.
EHE_ROLES = frozenset({Role.EHE_OFFICER, Role.MANAGER})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.ADMINISTRATOR)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # Sign-in is case-insensitive on the email address.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the sign-in name; the role decides what they see."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SCHOOL_STAFF)
    is_active = models.BooleanField(default=True)
    # Django admin access; granted to administrators only (see services.user_set_role).
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # The council identity provider's subject identifier (the ID token's `sub`, for the
    # configured issuer): how a single sign-on links to this account. Never an email address,
    # which can change hands.
    oidc_sub = models.CharField(
        "single sign-on subject", max_length=255, unique=True, null=True, blank=True, editable=False
    )

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = choices_valid("user", role=Role)

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self) -> None:
        # Every form that edits a user (the admin's included) runs this: no bidi controls.
        super().clean()
        self.full_name = strip_bidi_controls(self.full_name).strip()

    @property
    def is_school_staff(self) -> bool:
        return self.role == Role.SCHOOL_STAFF

    @property
    def is_la_user(self) -> bool:
        return self.role in LA_ROLES

    @property
    def is_caseworker(self) -> bool:
        return self.role in CASEWORK_ROLES

    @property
    def is_ehe_worker(self) -> bool:
        return self.role in EHE_ROLES

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR


def _stamped_by() -> models.ForeignKey[User | None, User | None]:
    """Who made or changed a record: set by the services, never on a form; blank for the
    system (jobs, imports); a person who stamped a record is never deleted (PROTECT)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )


class Audited(models.Model):
    """Every record says who made it and who last changed it, and when (STYLE.md rule 4)."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = _stamped_by()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = _stamped_by()

    class Meta:
        abstract = True


class Notification(models.Model):
    """A message to one person, in the app and (optionally) by email.

    `key` makes a notification idempotent: the same key for the same person is stored once,
    however often a job runs (the unique constraint, not a read-then-write, decides).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=120)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    #: The outbox (cme.notifications.deliver_pending) emails it once while emailed_at is unset.
    email_wanted = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key"),
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class AccessAction(models.TextChoices):
    VIEW_CHILD = "view_child", "Viewed a child's record"
    VIEW_CASE = "view_case", "Viewed a case"
    VIEW_CHRONOLOGY = "view_chronology", "Viewed a chronology"
    VIEW_REGISTER = "view_register", "Viewed the register"
    EXPORT_REGISTER_CSV = "export_register_csv", "Exported the register (CSV)"
    EXPORT_REGISTER_XLSX = "export_register_xlsx", "Exported the register (XLSX)"
    VIEW_REFERRAL = "view_referral", "Viewed a referral"
    VIEW_RETURN = "view_return", "Viewed a school return"
    VIEW_RETURN_LIST = "view_return_list", "Viewed the list of school returns"
    OPEN_RESTRICTED = "open_restricted", "Opened a restricted record"
    VIEW_EHE = "view_ehe", "Viewed a child's home education record"
    EXPORT_EHE_NOTICE = "export_ehe_notice", "Downloaded a home education notice (PDF)"
    VIEW_EHE_REGISTER = "view_ehe_register", "Viewed the home education register"
    VIEW_CHILD_AUDIT = "view_child_audit", "Viewed a child's audit trail"
    EXPORT_FIGURES_CSV = "export_figures_csv", "Exported the dashboard figures (CSV)"
    SEARCH_CHILDREN = "search_children", "Searched for a child"
    UPLOAD_CTF = "upload_ctf", "Uploaded a common transfer file (CTF)"


class AccessLog(models.Model):
    """One row per view or export of a child's record, of the register or of the figures
    (DOMAIN.md: keep an audit of access). Append-only: the app never updates or deletes a row,
    and the admin is read-only. Only what the audit needs is kept: no IP address, no query
    string.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=24, choices=AccessAction.choices)
    # The object viewed (e.g. "case" 12); blank for the register.
    object_type = models.CharField(max_length=30, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    # The child whose record was seen, when there is one (not a foreign key: the log outlives
    # merges and keeps a row's meaning whatever happens to the child record).
    child_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    reason = models.TextField(blank=True)
    # Exports: how many children it held.
    detail = models.CharField(max_length=200, blank=True)
    path = models.CharField(max_length=300)
    # A search for a child ("Find a child"): what was typed, by kind. Kept here, in the
    # append-only log only auditors read, and nowhere else (not in URLs or the server's
    # logs): "who searched for this child, and why did they find her?" needs the terms.
    search_terms = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"]), models.Index(fields=["action", "-at"])]
        constraints = choices_valid("accesslog", action=AccessAction)

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.user_id} at {self.at:%Y-%m-%d %H:%M}"


class LimitHit(models.Model):
    """One counted event for a limit kept in the database (cme.limits): a failed two-factor
    code, a public referral sent. ``key`` is an HMAC of the address or user id."""

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["scope", "key", "at"]),
            models.Index(fields=["scope", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.scope} at {self.at:%Y-%m-%d %H:%M}"


class OutboxState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not delivered"


class OutboxChannel(models.TextChoices):
    EMAIL = "email", "Email"
    #: Only through GOV.UK Notify (CME_EMAIL_PROVIDER=notify): the address is in
    #: ``personalisation`` (address_line_1 ... ), ``to`` is blank.
    LETTER = "letter", "Letter"


class OutboxEmail(models.Model):
    """One email (or letter) to send (cme.outbox): written in the transaction of the work that
    causes it, sent by a Celery task with a timeout, retried with back-off, then ``failed`` for
    a manager to see. ``last_error`` is the exception's class name only: no personal data.
    Through GOV.UK Notify, Notify's id and its delivery status are kept (read back by beat)."""

    channel = models.CharField(
        max_length=6, choices=OutboxChannel.choices, default=OutboxChannel.EMAIL
    )
    #: What kind of message (escalation, closure ...): picks the Notify template.
    kind = models.CharField(max_length=30, blank=True)
    to = models.EmailField(max_length=254, blank=True)
    #: The fields a Notify template is filled with (a letter's address lines too); cleared,
    #: like the body, once delivered.
    personalisation = models.JSONField(default=dict, blank=True)
    #: "smtp" or "notify": who accepted it.
    provider = models.CharField(max_length=6, blank=True)
    #: GOV.UK Notify's notification id, and its status as last read back ("delivered",
    #: "permanent-failure" ...; blank until read).
    provider_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    delivery_status = models.CharField(max_length=30, blank=True)
    status_checked_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    state = models.CharField(
        max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    #: When a delivery claimed it (state ``sending``): a claim older than a few minutes is a
    #: worker that died, and the row is claimed again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=100, blank=True)
    #: Idempotency: the same key is queued once (e.g. "case-closed:12:5").
    key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            # The Notify status poll: sent through Notify, status not yet final.
            models.Index(
                fields=["status_checked_at"],
                name="outboxemail_notify_poll",
                condition=models.Q(state="sent", provider="notify"),
            ),
        ]
        constraints = choices_valid("outboxemail", state=OutboxState, channel=OutboxChannel)

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_state_display()})"

    @property
    def delivery_failed(self) -> bool:
        """GOV.UK Notify read it back as not delivered (a permanent failure, say)."""
        return self.delivery_status in NOTIFY_NOT_DELIVERED

    @property
    def delivery_label(self) -> str:
        """GOV.UK Notify's delivery status in words ("" when not read back, or not Notify)."""
        return DELIVERY_LABELS.get(self.delivery_status, self.delivery_status)


#: GOV.UK Notify's final statuses that mean it did not arrive: shown as not delivered.
NOTIFY_NOT_DELIVERED = (
    "permanent-failure",
    "temporary-failure",
    "technical-failure",
    "validation-failed",
    "virus-scan-failed",
)
#: Notify's final statuses: delivered (an email), posted (a letter), or not.
NOTIFY_FINAL = ("delivered", "received", "cancelled", *NOTIFY_NOT_DELIVERED)
#: GOV.UK Notify's statuses (emails and letters), as a manager reads them.
DELIVERY_LABELS = {
    "created": "Accepted by GOV.UK Notify",
    "sending": "Being delivered",
    "pending": "Being delivered",
    "accepted": "Being printed",
    "pending-virus-check": "Being checked",
    "delivered": "Delivered",
    "received": "Posted",
    "permanent-failure": "Not delivered: the address does not exist",
    "temporary-failure": "Not delivered: the inbox was full or refused it",
    "technical-failure": "Not delivered: a GOV.UK Notify fault",
    "validation-failed": "Not posted: the letter failed Notify's checks",
    "virus-scan-failed": "Not posted: the letter failed Notify's checks",
    "cancelled": "Cancelled",
}


class StoredFile(models.Model):
    """A private file in the shared storage (cme.storage.DatabaseStorage): built board reports
    and anything else that outlives a request, seen alike by every web and worker host."""

    name = models.CharField(max_length=255, unique=True)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField()
    written_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class BeatLease(models.Model):
    """Which beat process sends the schedule (cme.beat): one row, renewed while it runs."""

    name = models.CharField(max_length=40, unique=True)
    holder = models.CharField(max_length=200)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: {self.holder}"
