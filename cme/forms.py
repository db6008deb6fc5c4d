"""Sign-in and password forms, rendered with the GOV.UK Design System."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.db.models import Model, QuerySet

from cme.models import User

if TYPE_CHECKING:  # SetPasswordForm is generic to mypy only (django-stubs-ext does not patch it)
    _SetPasswordForm = SetPasswordForm[User]
else:
    _SetPasswordForm = SetPasswordForm

M = TypeVar("M", bound=Model)


def gds_helper(*fields: Any) -> FormHelper:
    """A crispy helper for a form the page template wraps in its own <form> and CSRF token."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


def section(*fields: Any, legend: str) -> Fieldset:
    """One part of a long form: its questions in a fieldset whose legend is the part's h2
    heading (GOV.UK medium), so that the page's headings and the fieldsets agree."""
    return Fieldset(*fields, legend=legend, legend_size="m", legend_tag="h2")


def radios(
    label: str, choices: Any = (), *, error: str = "", unknown_error: bool = False, **kwargs: Any
) -> forms.ChoiceField:
    """A question answered with GOV.UK radios. ``error`` is said when nothing is chosen and,
    with ``unknown_error``, when a value not among the choices is posted too (else Django's)."""
    messages = {"required": error} if error else {}
    if unknown_error:
        messages["invalid_choice"] = error
    return forms.ChoiceField(
        label=label, choices=choices, widget=forms.RadioSelect, error_messages=messages, **kwargs
    )


def email_field(
    label: str = "Email address",
    *,
    required: str = "Enter your email address",
    invalid: str = "Enter an email address in the correct format, like name@example.gov.uk",
    spellcheck: bool = False,
    **kwargs: Any,
) -> forms.EmailField:
    """An email address asked for as GOV.UK asks: the email keyboard, autofill, and (unless
    ``spellcheck``) no spelling check of what is typed."""
    attrs = {"autocomplete": "email"} | ({} if spellcheck else {"spellcheck": "false"})
    return forms.EmailField(
        label=label,
        max_length=254,
        widget=forms.EmailInput(attrs=attrs),
        error_messages={"required": required, "invalid": invalid},
        **kwargs,
    )


def select_one(
    label: str,
    queryset: QuerySet[M],
    *,
    empty_label: str,
    required: str,
    invalid: str,
    **kwargs: Any,
) -> forms.ModelChoiceField[M]:
    """One of some rows, chosen from a <select> with a prompt as its first option; the rows
    are read for each form (`offer_rows`)."""
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        empty_label=empty_label,
        error_messages={"required": required, "invalid_choice": invalid},
        **kwargs,
    )


def offer_rows(form: forms.BaseForm, name: str, queryset: QuerySet[M]) -> forms.ModelChoiceField[M]:
    """Give the form's choice field ``name`` the rows it offers on this form: a class's field
    would keep the rows it read when the module was imported."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - a ModelChoiceField by contract
    field.queryset = queryset
    return field


class EmailAuthenticationForm(AuthenticationForm):
    username = email_field()
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account is not active",
        "single_sign_on": "CME officers and managers sign in with {provider}: use the button above",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Button("submit", "Sign in"),
        )

    def confirm_login_allowed(self, user: Any) -> None:
        """With single sign-on on, officers, EHE officers and managers use it: the password stays for
        school staff and, as a break-glass, for administrators (ADR 019)."""
        from django.conf import settings

        super().confirm_login_allowed(user)
        if settings.CME_OIDC_ENABLED and getattr(user, "role", "") in {
            "officer",
            "ehe_officer",
            "manager",
        }:
            raise forms.ValidationError(
                self.error_messages["single_sign_on"].format(
                    provider=settings.CME_OIDC_PROVIDER_NAME
                ),
                code="single_sign_on",
            )


class GdsPasswordResetForm(PasswordResetForm):
    email = email_field(spellcheck=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("email", field_width=20), Button("submit", "Send reset link")
        )

    def send_mail(  # noqa: PLR0917 - Django's PasswordResetForm.send_mail signature
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Through the email outbox (cme.outbox), like every email: the public page never
        waits on a mail server (issue 12, A1)."""
        from django.template import loader
        from django.urls import reverse

        from cme.outbox import queue_email

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        link = reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        fields = {"reset_link": f"{context['protocol']}://{context['domain']}{link}"}
        queue_email(to_email, subject, body, kind="password_reset", fields=fields)


class GdsSetPasswordForm(_SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "Confirm new password"
        self.helper = gds_helper(
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            Button("submit", "Change password"),
        )


class TwoFactorCodeForm(forms.Form):
    """The code from an authenticator app (or one of the backup codes)."""

    code = forms.CharField(
        label="Enter the 6-digit code from your authenticator app",
        help_text="If you cannot use your app, enter one of your backup codes.",
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(self, *args: Any, button: str = "Continue", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.text("code", field_width=10), Button("submit", button))

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


class TwoFactorSetupForm(TwoFactorCodeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, button="Confirm", **kwargs)
        self.fields["code"].label = "Enter the 6-digit code your authenticator app shows"
        self.fields["code"].help_text = ""
