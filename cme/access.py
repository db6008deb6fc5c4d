"""Who may use each view. Every view is wrapped in exactly one of these decorators, which
also records the rule on the view so that the access matrix test can read it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from cme.models import Role, User

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])

PUBLIC = "public"


def acting_user(request: HttpRequest) -> User:
    """The signed-in user of a view that one of the decorators below has already let in."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the decorator has checked
    return user


def public(view: ViewFunc) -> ViewFunc:
    """Anyone, signed in or not (the public referral form, sign-in, accessibility statement)."""
    view.allowed_roles = PUBLIC  # type: ignore[attr-defined]
    return view


def role_required(*roles: Role) -> Callable[[ViewFunc], ViewFunc]:
    """Signed-in users with one of `roles`; anonymous users go to sign-in, others get 403."""
    allowed = frozenset(roles)

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def signed_in(view: ViewFunc) -> ViewFunc:
    """Any signed-in user, whatever the role."""
    return role_required(*Role)(view)


school_staff_only = role_required(Role.SCHOOL_STAFF)
caseworkers = role_required(Role.OFFICER, Role.MANAGER)
managers_only = role_required(Role.MANAGER)
administrators_only = role_required(Role.ADMINISTRATOR)
la_users = role_required(Role.OFFICER, Role.MANAGER, Role.EHE_OFFICER, Role.ADMINISTRATOR)
#: The EHE register and its notices (issue 17): EHE officers and managers.
ehe_workers = role_required(Role.EHE_OFFICER, Role.MANAGER)
