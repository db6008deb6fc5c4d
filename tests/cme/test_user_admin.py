"""User management in the admin (issue 12, A13): administrators create people, set their
role and schools, deactivate them and reset their two-factor authentication; nobody else may,
and no password hash or TOTP secret is ever shown."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cme.models import Role, User
from cme.outbox import send_due
from tests.conftest import client_for
from tests.factories import UserFactory

CHANGELIST = reverse("admin:cme_user_changelist")
ADD = reverse("admin:cme_user_add")


# The schools inline's management form, with no rows.
NO_MEMBERSHIPS = {
    "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
    "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
}  # fmt: skip


def change_url(user: User) -> str:
    return reverse("admin:cme_user_change", args=[user.pk])


def _devices(user: User) -> TOTPDevice:
    totp = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    StaticToken.objects.create(device=static, token="abcd1234")
    return totp


def test_the_admin_index_lists_users_for_an_administrator(admin_client_: Client) -> None:
    page = admin_client_.get(reverse("admin:index"))

    assert page.status_code == 200
    assert CHANGELIST.encode() in page.content


def test_an_administrator_lists_and_searches_users(
    admin_client_: Client, officer: User, staff_a: User
) -> None:
    page = admin_client_.get(CHANGELIST, {"q": "Olive"})

    assert page.status_code == 200
    assert b"Olive Officer" in page.content
    assert b"Alice Alder" not in page.content


def test_an_administrator_creates_a_user_who_then_sets_a_password_by_email(
    admin_client_: Client, mailoutbox: list[EmailMessage]
) -> None:
    page = admin_client_.get(ADD)
    assert page.status_code == 200
    assert b'name="password1"' not in page.content
    assert b'type="password"' not in page.content

    response = admin_client_.post(
        ADD, {"email": "New.Person@LA.gov.uk", "full_name": "New Person", "role": Role.OFFICER}
    )

    assert response.status_code == 302, response.content
    person = User.objects.get(email="new.person@la.gov.uk")
    assert (person.role, person.is_active, person.is_staff) == (Role.OFFICER, True, False)
    # Nobody knows the password; the reset email works for them.
    assert person.has_usable_password()
    client_for(None).post(reverse("password_reset"), {"email": "new.person@la.gov.uk"})
    assert mailoutbox == []  # the request only queues it (issue 12, A1)
    send_due()
    assert len(mailoutbox) == 1
    assert default_token_generator.make_token(person) in mailoutbox[0].body


def test_a_duplicate_email_is_refused_with_an_error(admin_client_: Client, officer: User) -> None:
    response = admin_client_.post(
        ADD, {"email": "OLIVE@la.gov.uk", "full_name": "Olive Again", "role": Role.OFFICER}
    )

    assert response.status_code == 200
    assert b"already exists" in response.content
    assert User.objects.filter(email__iexact="olive@la.gov.uk").count() == 1


def test_setting_the_administrator_role_grants_the_admin_and_removing_it_takes_it_away(
    admin_client_: Client, officer: User
) -> None:
    data = {
        "email": officer.email, "full_name": officer.full_name, "job_title": "", "phone": "",
        "role": Role.ADMINISTRATOR, "is_active": "on", **NO_MEMBERSHIPS,
    }  # fmt: skip

    assert admin_client_.post(change_url(officer), data).status_code == 302
    officer.refresh_from_db()
    assert (officer.role, officer.is_staff) == (Role.ADMINISTRATOR, True)

    data["role"] = Role.MANAGER
    assert admin_client_.post(change_url(officer), data).status_code == 302
    officer.refresh_from_db()
    assert (officer.role, officer.is_staff) == (Role.MANAGER, False)


def test_the_change_page_shows_no_password_hash_and_no_permission_flags(
    admin_client_: Client, officer: User
) -> None:
    _devices(officer)

    page = admin_client_.get(change_url(officer))

    assert page.status_code == 200
    content = page.content.decode()
    assert officer.password not in content
    assert "argon2" not in content
    assert "pbkdf2" not in content
    assert 'name="is_superuser"' not in content
    assert 'name="user_permissions"' not in content
    assert TOTPDevice.objects.get(user=officer).key not in content
    assert "abcd1234" not in content
    # Django's "change someone's password" page is not offered.
    password_page = admin_client_.get(f"/admin/cme/user/{officer.pk}/password/", follow=True)
    assert b'type="password"' not in password_page.content


def test_totp_and_backup_code_devices_are_not_in_the_admin(
    admin_client_: Client, officer: User
) -> None:
    totp = _devices(officer)

    index = admin_client_.get(reverse("admin:index")).content.decode()

    assert "otp_totp" not in index
    assert "otp_static" not in index
    assert admin_client_.get(f"/admin/otp_totp/totpdevice/{totp.pk}/change/").status_code == 404


def test_an_administrator_deactivates_but_never_deletes_a_user(
    admin_client_: Client, administrator: User, officer: User
) -> None:
    response = admin_client_.post(
        CHANGELIST, {"action": "deactivate", "_selected_action": [officer.pk, administrator.pk]}
    )

    assert response.status_code == 302
    officer.refresh_from_db()
    administrator.refresh_from_db()
    assert officer.is_active is False
    assert administrator.is_active is True  # not themselves
    assert LogEntry.objects.filter(object_id=str(officer.pk), change_message="Deactivated").exists()
    # No delete: neither the action nor the page.
    actions = admin_client_.get(CHANGELIST).content
    assert b"delete_selected" not in actions
    delete_url = reverse("admin:cme_user_delete", args=[officer.pk])
    assert admin_client_.post(delete_url, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=officer.pk).exists()


def test_resetting_two_factor_removes_the_devices_and_is_recorded(
    admin_client_: Client, administrator: User, officer: User, manager: User
) -> None:
    _devices(officer)
    _devices(manager)

    response = admin_client_.post(
        CHANGELIST, {"action": "reset_two_factor", "_selected_action": [officer.pk]}
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    assert TOTPDevice.objects.filter(user=manager).exists()  # only the one chosen
    entry = LogEntry.objects.get(object_id=str(officer.pk))
    assert entry.user == administrator
    assert "two-factor" in entry.get_change_message()
    history = admin_client_.get(reverse("admin:cme_user_history", args=[officer.pk]))
    assert b"Reset two-factor authentication" in history.content


@pytest.mark.parametrize("persona", ["officer", "manager", "staff_a"])
@pytest.mark.parametrize(
    "url",
    [CHANGELIST, ADD, "/admin/", "/admin/cme/accesslog/"],
)
def test_other_roles_are_refused_user_management(
    request: pytest.FixtureRequest, persona: str, url: str
) -> None:
    user = request.getfixturevalue(persona)

    assert client_for(user).get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER, Role.SCHOOL_STAFF])
def test_other_roles_cannot_create_or_reset(db: None, role: Role) -> None:
    user = UserFactory.create(email=f"{role}@la.gov.uk", role=role, is_staff=True)
    victim = UserFactory.create(email="victim@la.gov.uk", role=Role.OFFICER)
    _devices(victim)
    client = client_for(user)

    assert (
        client.post(
            ADD, {"email": "x@la.gov.uk", "full_name": "X", "role": "administrator"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            CHANGELIST, {"action": "reset_two_factor", "_selected_action": [victim.pk]}
        ).status_code
        == 403
    )

    assert not User.objects.filter(email="x@la.gov.uk").exists()
    assert TOTPDevice.objects.filter(user=victim).exists()


def test_anonymous_is_sent_to_sign_in(client: Client, db: None) -> None:
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
