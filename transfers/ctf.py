"""A transfer as a Common Transfer File (DfE CTF, XML): written here, read back here.

The standard part (Header; CTFpupilData/Pupil with UPN, names, date of birth, sex, address,
school history) is what schools.ctf.parser reads, so a CTF-aware system (ours, an MIS) sees
the pupil. The CME information (why, the enquiries made, the safeguarding flags, who to
contact) is in one extension element, ``CMEtransfer`` in this product's own namespace
(`CME_NS`), inside the Pupil: the CTF specification has a Children Missing Education message
(its appendix "Children Missing Education XML message structure"), but its element list
could not be confirmed from a public copy, so the information is not dressed up as the
specification's; docs/decisions/015-transfers.md says so and lists the elements.

Writing: ElementTree escapes every text (``<``, ``&``, ``>``, quotes) and the text is
stripped of characters XML 1.0 cannot carry. Reading: `read_transfer` runs the safe parser
first (size, DTD/entities, depth: schools.ctf.parser), then reads the extension with
defusedxml; a file that is not a transfer raises `TransferFileError`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # building only; parsing is defusedxml
from dataclasses import dataclass
from datetime import date, datetime

from defusedxml.ElementTree import fromstring

from schools.ctf.parser import CtfError, parse_ctf
from schools.ctf.records import CtfFile
from transfers.records import (
    TransferChild,
    TransferEnquiry,
    TransferLA,
    TransferMessage,
)

#: The namespace of the extension element (this product's, not the DfE's).
CME_NS = "urn:cme-casework:transfer:1"
#: The CTF version written: the current specification's major version.
CTF_VERSION = "21.0"
#: A transfer is one child: far under the CTF upload's limit.
MAX_TRANSFER_BYTES = 2 * 1024 * 1024

#: XML 1.0 refuses these characters (C0 controls but tab, CR, LF; surrogates; FFFE/FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

ERROR_NOT_TRANSFER = (
    "The selected file is a CTF but not a CME transfer: it has no transfer information "
    "from another local authority"
)


class TransferFileError(ValueError):
    """The file cannot be read as a transfer: the message says why, for the uploader."""


def _clean(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def _sub(parent: ET.Element, tag: str, value: object = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if value is not None and value != "":
        element.text = _clean(value.isoformat() if isinstance(value, date) else value)
    return element


def _x(tag: str) -> str:
    return f"{{{CME_NS}}}{tag}"


# ---------------------------------------------------------------------------- writing


def write_transfer(message: TransferMessage, *, now: datetime) -> bytes:
    """The CTF of one transfer, as UTF-8 bytes with an XML declaration."""
    ET.register_namespace("cme", CME_NS)
    root = ET.Element("CTfile")
    header = _sub(root, "Header")
    _sub(header, "DocumentName", "Common Transfer File")
    _sub(header, "CTFversion", CTF_VERSION)
    _sub(header, "DateTime", now.replace(microsecond=0).isoformat())
    _sub(header, "DocumentQualifier", "partial")
    _sub(header, "DataQualifier", "CME transfer")
    _sub(header, "SupplierID", "CME casework")
    source = _sub(header, "SourceSchool")
    _sub(source, "LEA", message.from_la.code)
    _sub(source, "Estab", "")
    _sub(source, "SchoolName", message.from_la.name)
    dest = _sub(header, "DestSchool")
    _sub(dest, "LEA", message.to_la.code)
    _sub(dest, "Estab", "")
    pupil = _sub(_sub(root, "CTFpupilData"), "Pupil")
    _write_pupil(pupil, message.child)
    _write_cme(pupil, message)
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _write_pupil(pupil: ET.Element, child: TransferChild) -> None:
    _sub(pupil, "UPN", child.upn)
    basic = _sub(pupil, "BasicDetails")
    _sub(basic, "Surname", child.last_name)
    _sub(basic, "Forename", child.first_name)
    _sub(basic, "MiddleNames", child.middle_names)
    _sub(basic, "DOB", child.date_of_birth)
    _sub(basic, "Sex", child.gender if child.gender in ("F", "M") else "")
    address = _sub(pupil, "Address")
    lines = _sub(address, "AddressLines")
    for line in (child.address_line_1, child.address_line_2, child.town):
        if line:
            _sub(lines, "AddressLine", line)
    _sub(address, "Postcode", child.postcode)
    if child.last_school_urn or child.last_school_name:
        school = _sub(_sub(pupil, "SchoolHistory"), "School")
        _sub(school, "URN", child.last_school_urn)
        _sub(school, "SchoolName", child.last_school_name)


def _write_cme(pupil: ET.Element, m: TransferMessage) -> None:
    cme = ET.SubElement(pupil, _x("CMEtransfer"))
    _sub(cme, _x("TransferReference"), m.reference)
    _sub(cme, _x("CaseReference"), m.case_reference)
    _sub(cme, _x("SentOn"), m.sent_on)
    for tag, la in (("FromLA", m.from_la), ("ToLA", m.to_la)):
        element = _sub(cme, _x(tag))
        _sub(element, _x("LEA"), la.code)
        _sub(element, _x("Name"), la.name)
        _sub(element, _x("Email"), la.email)
    officer = _sub(cme, _x("Officer"))
    _sub(officer, _x("Name"), m.officer_name)
    _sub(officer, _x("Email"), m.officer_email)
    _sub(officer, _x("Phone"), m.officer_phone)
    child = _sub(cme, _x("Child"))
    _sub(child, _x("OtherNames"), m.child.other_names)
    _sub(child, _x("Gender"), m.child.gender)
    _sub(cme, _x("Trigger"), m.trigger)
    _sub(cme, _x("TransferReasons"), m.transfer_reasons)
    _sub(cme, _x("Category"), m.category)
    _sub(cme, _x("BecameCMEOn"), m.became_cme_on)
    _sub(cme, _x("Outcome"), m.outcome)
    reasons = _sub(cme, _x("ReferralReasons"))
    for code, label in m.referral_reasons:
        _sub(reasons, _x("Reason"), label).set("code", _clean(code))
    safeguarding = _sub(cme, _x("Safeguarding"))
    _sub(safeguarding, _x("Restricted"), "true" if m.restricted else "false")
    flags = _sub(safeguarding, _x("Flags"))
    for code, label in m.flags:
        _sub(flags, _x("Flag"), label).set("code", _clean(code))
    if m.escalated_on:
        escalated = _sub(safeguarding, _x("Escalated"))
        _sub(escalated, _x("On"), m.escalated_on)
        _sub(escalated, _x("Reason"), m.escalation_reason)
        _sub(escalated, _x("SocialCareReferred"), "true" if m.social_care_referred else "false")
    enquiries = _sub(cme, _x("Enquiries"))
    for e in m.enquiries:
        element = _sub(enquiries, _x("Enquiry"))
        _sub(element, _x("MadeOn"), e.made_on)
        _sub(element, _x("Type"), e.kind_label).set("code", _clean(e.kind))
        _sub(element, _x("Contact"), e.contact)
        _sub(element, _x("Result"), e.result_label).set("code", _clean(e.result))
        _sub(element, _x("Notes"), e.notes)


# ---------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class ReadTransfer:
    ctf: CtfFile  # what the CTF parser read (the pupil, when it has a valid UPN)
    message: TransferMessage


def _find(parent: ET.Element | None, *path: str) -> ET.Element | None:
    element = parent
    for tag in path:
        if element is None:
            return None
        element = element.find(_x(tag))
    return element


def _text(parent: ET.Element | None, *path: str) -> str:
    element = _find(parent, *path)
    return (element.text or "").strip() if element is not None else ""


def _plain(parent: ET.Element | None, tag: str) -> str:
    """A CTF element's text (no namespace), e.g. BasicDetails/Surname."""
    if parent is None:
        return ""
    element = parent.find(tag)
    return (element.text or "").strip() if element is not None else ""


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _la(element: ET.Element | None) -> TransferLA:
    return TransferLA(
        code=_text(element, "LEA"), name=_text(element, "Name"), email=_text(element, "Email")
    )


def _coded(parent: ET.Element | None, tag: str) -> tuple[tuple[str, str], ...]:
    if parent is None:
        return ()
    return tuple(
        (e.get("code", "").strip(), (e.text or "").strip()) for e in parent.findall(_x(tag))
    )


def _child(pupil: ET.Element, cme: ET.Element) -> TransferChild:
    basic = pupil.find("BasicDetails")
    lines = [
        (e.text or "").strip()
        for e in pupil.findall("Address/AddressLines/AddressLine")
        if (e.text or "").strip()
    ]
    town = lines.pop() if len(lines) > 1 else ""
    school = pupil.find("SchoolHistory/School")
    return TransferChild(
        first_name=_plain(basic, "Forename"),
        last_name=_plain(basic, "Surname"),
        middle_names=_plain(basic, "MiddleNames"),
        other_names=_text(cme, "Child", "OtherNames"),
        date_of_birth=_day(_plain(basic, "DOB")),
        gender=_text(cme, "Child", "Gender")[:1],
        upn=_plain(pupil, "UPN").upper(),
        address_line_1=lines[0] if lines else "",
        address_line_2=", ".join(lines[1:]),
        town=town,
        postcode=_plain(pupil.find("Address"), "Postcode").upper(),
        last_school_urn=_plain(school, "URN"),
        last_school_name=_plain(school, "SchoolName"),
    )


def _enquiries(cme: ET.Element) -> tuple[TransferEnquiry, ...]:
    found = []
    for e in cme.findall(f"{_x('Enquiries')}/{_x('Enquiry')}"):
        kind, result = e.find(_x("Type")), e.find(_x("Result"))
        found.append(
            TransferEnquiry(
                made_on=_day(_text(e, "MadeOn")),
                kind=kind.get("code", "").strip() if kind is not None else "",
                kind_label=_text(e, "Type"),
                result=result.get("code", "").strip() if result is not None else "",
                result_label=_text(e, "Result"),
                contact=_text(e, "Contact"),
                notes=_text(e, "Notes"),
            )
        )
    return tuple(found)


def read_transfer(data: bytes) -> ReadTransfer:
    """A received transfer's CTF: the safe parse first (raises CtfError), then its CME part."""
    if len(data) > MAX_TRANSFER_BYTES:
        raise TransferFileError(
            f"The selected file must be smaller than {MAX_TRANSFER_BYTES // (1024 * 1024)} MB"
        )
    ctf = parse_ctf(data, max_bytes=MAX_TRANSFER_BYTES)
    # parse_ctf refused DTDs, entities, external references and deep nesting: this second
    # read (defusedxml again, with the same refusals) only walks the extension.
    root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    pupils = root.findall("CTFpupilData/Pupil")
    cme = pupils[0].find(_x("CMEtransfer")) if len(pupils) == 1 else None
    if cme is None:
        raise TransferFileError(ERROR_NOT_TRANSFER)
    child = _child(pupils[0], cme)
    sent_on = _day(_text(cme, "SentOn"))
    reference = _text(cme, "TransferReference")
    if not reference or sent_on is None or not (child.first_name or child.last_name):
        raise TransferFileError(
            "The selected transfer has no reference, date sent or child's name: ask the "
            "sending authority to send it again"
        )
    safeguarding = _find(cme, "Safeguarding")
    escalated = _find(safeguarding, "Escalated")
    return ReadTransfer(
        ctf=ctf,
        message=TransferMessage(
            reference=reference[:40],
            case_reference=_text(cme, "CaseReference")[:40],
            sent_on=sent_on,
            from_la=_la(_find(cme, "FromLA")),
            to_la=_la(_find(cme, "ToLA")),
            child=child,
            officer_name=_text(cme, "Officer", "Name"),
            officer_email=_text(cme, "Officer", "Email"),
            officer_phone=_text(cme, "Officer", "Phone"),
            trigger=_text(cme, "Trigger"),
            transfer_reasons=_text(cme, "TransferReasons"),
            category=_text(cme, "Category"),
            became_cme_on=_day(_text(cme, "BecameCMEOn")),
            outcome=_text(cme, "Outcome"),
            referral_reasons=_coded(_find(cme, "ReferralReasons"), "Reason"),
            flags=_coded(_find(safeguarding, "Flags"), "Flag"),
            escalated_on=_day(_text(escalated, "On")),
            escalation_reason=_text(escalated, "Reason"),
            social_care_referred=_text(escalated, "SocialCareReferred") == "true",
            restricted=_text(safeguarding, "Restricted") == "true",
            enquiries=_enquiries(cme),
        ),
    )


__all__ = [
    "CME_NS",
    "CtfError",
    "ReadTransfer",
    "TransferFileError",
    "read_transfer",
    "write_transfer",
]
