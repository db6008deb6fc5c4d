"""What the casework pages show about a referral or a child, shared by the view modules
(views import helpers from here, never from one another)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from cme.formats import govuk_datetime
from cme.statutory import compulsory_school_age_note, national_curriculum_year
from referrals.models import Reason, Referral
from referrals.vocabulary import flag_labels

_REASON_LABELS = dict(Reason.choices)


def reason_labels(referral: Referral) -> list[str]:
    return [_REASON_LABELS.get(code, code) for code in referral.reasons or []]


def source_of(referral: Referral) -> str:
    if referral.trigger:
        return f"School return: {referral.get_trigger_display()}"
    who = referral.get_referrer_type_display()
    org = (
        referral.referring_school.name
        if referral.referring_school
        else referral.referrer_organisation
    )
    return f"{who} ({org})" if org and not referral.anonymous else who


def nc_year_label(dob: date | None, on: date) -> str:
    if dob is None:
        return "Not known"
    year = national_curriculum_year(dob, on)
    if year == 0:
        return "Reception"
    if year < 0:
        return "Nursery"
    return f"Year {year}"


def referral_summary(referral: Referral) -> list[tuple[str, list[tuple[str, str, str]]]]:
    def d(value: date | None) -> str:
        return f"{value:%-d %B %Y}" if value else "Not given"

    def txt(value: str) -> str:
        return value or "Not given"

    address = ", ".join(
        p
        for p in (
            referral.address_line_1,
            referral.address_line_2,
            referral.town,
            referral.postcode,
        )
        if p
    )
    if referral.anonymous:
        referrer_rows = [("anonymous", "Referrer", "Anonymous")]
    else:
        referrer_rows = [
            ("referrer_type", "Type", referral.get_referrer_type_display()),
            ("referrer_name", "Name", txt(referral.referrer_name)),
            ("referrer_organisation", "Organisation", txt(referral.referrer_organisation)),
            (
                "referrer_relationship",
                "Relationship to the child",
                txt(referral.referrer_relationship),
            ),
            ("referrer_email", "Email", txt(referral.referrer_email)),
            ("referrer_phone", "Phone", txt(referral.referrer_phone)),
            ("referrer_address", "Postal address", txt(referral.referrer_address)),
            (
                "referring_school",
                "School",
                referral.referring_school.name if referral.referring_school else "Not given",
            ),
        ]
    people = [
        (
            f"person_{p.pk}",
            p.get_kind_display(),
            "\n".join(
                x
                for x in (
                    p.name,
                    p.relationship,
                    p.phone,
                    p.email,
                    f"Born {p.date_of_birth:%-d %B %Y}" if p.date_of_birth else "",
                    p.school_name,
                )
                if x
            ),
        )
        for p in referral.people.all()
    ]
    return [
        (
            "Referral",
            [
                ("reference", "Reference", referral.reference),
                ("received_at", "Received", govuk_datetime(referral.received_at)),
                ("channel", "How", referral.get_channel_display()),
                *(
                    [
                        ("date_received", "Date received", d(referral.date_received)),
                        ("received_via", "Received by", referral.get_received_via_display()),
                    ]
                    if referral.date_received
                    else []
                ),
                ("source", "Source", source_of(referral)),
                ("status", "Status", referral.get_status_display()),
            ],
        ),
        ("Referrer", referrer_rows),
        (
            "Child",
            [
                ("first_name", "First name", txt(referral.first_name)),
                ("last_name", "Last name", txt(referral.last_name)),
                ("other_names", "Other names or spellings", txt(referral.other_names)),
                ("date_of_birth", "Date of birth", d(referral.date_of_birth)),
                *(
                    [("compulsory_school_age", "Compulsory school age", csa_note)]
                    if (
                        csa_note := compulsory_school_age_note(
                            referral.date_of_birth, timezone.localdate()
                        )
                    )
                    else []
                ),
                ("gender", "Gender", referral.get_gender_display() or "Not given"),
                ("upn", "UPN", txt(referral.upn)),
                ("nhs_number", "NHS number", txt(referral.nhs_number)),
                ("address", "Address", address or "Not given"),
                ("previous_address", "Previous address", txt(referral.previous_address)),
                (
                    "last_school",
                    "Last school",
                    referral.last_school.name
                    if referral.last_school
                    else txt(referral.last_school_name),
                ),
                ("date_last_attended", "Last attended", d(referral.date_last_attended)),
            ],
        ),
        (
            "Why",
            [
                ("reasons", "Reasons", "\n".join(reason_labels(referral)) or "Not given"),
                ("flags", "Vulnerability", "\n".join(flag_labels(referral)) or "None given"),
                ("enquiries_made", "Enquiries the referrer has made", txt(referral.enquiries_made)),
                (
                    "parent_knows",
                    "Parent knows of the referral",
                    referral.get_parent_knows_display() or "Not given",
                ),
                ("details", "Details", txt(referral.details)),
            ],
        ),
        *([("Parents, carers and siblings", people)] if people else []),
    ]
