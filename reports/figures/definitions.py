"""The definitions printed with the board report: what each figure counts."""

from __future__ import annotations

from django.conf import settings


def definitions() -> list[tuple[str, str]]:
    clock = settings.CME_ENQUIRY_WORKING_DAYS
    return [
        (
            "Period",
            "From the first to the last day shown, inclusive, by UK local time. The previous year is the same dates one year earlier (29 February becomes 28 February).",
        ),
        ("CME-WASP", "Children without a school place: their whereabouts are known."),
        ("CME-missing", "Children whose whereabouts and circumstances are not known."),
        (
            "Referral received",
            "A referral to the CME service, counted on the date it arrived, whatever its triage decision.",
        ),
        (
            "Case opened",
            "A case opened from an accepted referral, counted on the date the referral was received.",
        ),
        (
            "Case closed",
            "A case given an outcome that closes it, counted on the date it was closed.",
        ),
        (
            "Open at period end",
            "Received on or before the period's last day and not closed by the end of it.",
        ),
        (
            "Overdue",
            f"Open at the period end, the initial investigation not completed and its due date ({clock} working days after the referral) passed.",
        ),
        (
            "Enquiry clock",
            f"The initial investigation is due within {clock} working days of the referral (Monday to Friday, not bank holidays in England and Wales). Within the clock: completed on or before that date.",
        ),
        (
            "Median working days taken",
            "For investigations completed in the period: working days from the referral to completion; half took fewer, half more.",
        ),
        (
            "Days open",
            "Calendar days from the referral to the period end, for cases open at the period end.",
        ),
        (
            "Untraceable",
            "Children not found after reasonable enquiries: their case stays open as CME-missing and is reviewed.",
        ),
        ("Vulnerability flags", "As recorded on the child at the time of the report."),
        (
            "Age group",
            "Key stage by National Curriculum year group on the period's last day (age on the 31 August before the school year).",
        ),
        (
            "Deletions",
            "Leaver returns from schools, by the date of deletion from the admission register and the regulation 9(1) ground.",
        ),
        (
            "Late returns",
            "New-pupil returns made after the 5th day after admission, and leaver returns made after the deletion, by date of submission.",
        ),
        (
            "Missing returns",
            "Leavers for whom no new-pupil return came from the new school in time, by the date they were flagged.",
        ),
        (
            "Part-time timetables",
            "Open: started, not ended and not closed. Overdue for review: the next review date passed.",
        ),
        (
            "Small numbers",
            'In the board\'s copy, counts from 1 to 4 are shown as "<5"; where one hidden count could be worked out from a total, or from the count it is part of, another count is hidden too (also shown as "<5"). A share, median or longest time worked out from a hidden count is shown as "[c]".',
        ),
    ]
