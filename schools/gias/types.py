"""Every establishment type in the national GIAS file, and what each one is for CME.

The list is GIAS's "TypeOfEstablishment (name)" as the national ``edubasealldata`` file of
9 January 2025 has it, all 39 (tests/data/gias/establishment_types_20250109.csv, from
MastodonC/witan.gias; a test holds the two lists equal). For each one:

* ``school_type``: our grouping by who runs it (:class:`SchoolType`).
* ``is_school``: whether it is a school for CME purposes: a school in England or Wales in
  the sense of the Education Act 1996 s4 whose pupils are on an admission register, so a
  child of compulsory school age on its roll is not missing education. Colleges, 16 to 19
  institutions, universities, secure settings, online providers and establishments abroad
  are not (a pupil going to one is "educated otherwise", detained, or abroad), though a
  leaver may be going to one, so they are imported too, for the destination pickers.
* ``ground_n``: whether a pupil's name may be deleted under regulation 9(1)(n) (2006: 8(1)(n))
  there: "a school other than a maintained school, an Academy or a city technology college",
  that is an independent school, an independent special school or a non-maintained special
  school. "Other independent special school" is grouped as INDEPENDENT (not SPECIAL) so that
  the grouping says so too; ``gias_type`` keeps the word "special".

Children's centres (and their linked sites) are in GIAS but are not establishments of this
list: they have their own download. Their rows are skipped with a warning (see
`schools.gias.importing`).
"""

from __future__ import annotations

from dataclasses import dataclass

from schools.models import SchoolType


@dataclass(frozen=True)
class EstablishmentType:
    school_type: SchoolType
    is_school: bool
    ground_n: bool = False


_M, _A, _F = SchoolType.MAINTAINED, SchoolType.ACADEMY, SchoolType.FREE
_S, _I, _O = SchoolType.SPECIAL, SchoolType.INDEPENDENT, SchoolType.OTHER
_PRU, _AP = SchoolType.PRU, SchoolType.ALTERNATIVE_PROVISION

SCHOOL = True
NOT_A_SCHOOL = False

#: GIAS "TypeOfEstablishment (name)" → what it is. Keys are matched case-insensitively.
ESTABLISHMENT_TYPES: dict[str, EstablishmentType] = {
    # Local authority maintained schools (EA 1996 s20; nursery schools s6)
    "Community school": EstablishmentType(_M, SCHOOL),
    "Voluntary aided school": EstablishmentType(_M, SCHOOL),
    "Voluntary controlled school": EstablishmentType(_M, SCHOOL),
    "Foundation school": EstablishmentType(_M, SCHOOL),
    "Local authority nursery school": EstablishmentType(_M, SCHOOL),
    "Pupil referral unit": EstablishmentType(_PRU, SCHOOL),
    # Special schools
    "Community special school": EstablishmentType(_S, SCHOOL),
    "Foundation special school": EstablishmentType(_S, SCHOOL),
    "Non-maintained special school": EstablishmentType(_S, SCHOOL, ground_n=True),
    "Other independent special school": EstablishmentType(_I, SCHOOL, ground_n=True),
    # Academies (Academies Act 2010 s1A); a CTC is an Academy for regulation 9(1)(n)
    "Academy converter": EstablishmentType(_A, SCHOOL),
    "Academy sponsor led": EstablishmentType(_A, SCHOOL),
    "Academy special converter": EstablishmentType(_S, SCHOOL),
    "Academy special sponsor led": EstablishmentType(_S, SCHOOL),
    "Academy alternative provision converter": EstablishmentType(_AP, SCHOOL),
    "Academy alternative provision sponsor led": EstablishmentType(_AP, SCHOOL),
    "City technology college": EstablishmentType(_A, SCHOOL),
    # Free schools are Academies in law; UTCs and studio schools are free schools
    "Free schools": EstablishmentType(_F, SCHOOL),
    "Free schools special": EstablishmentType(_S, SCHOOL),
    "Free schools alternative provision": EstablishmentType(_AP, SCHOOL),
    "University technical college": EstablishmentType(_F, SCHOOL),
    "Studio schools": EstablishmentType(_F, SCHOOL),
    # Independent schools (EA 2002 s463; registered under ESA 2008)
    "Other independent school": EstablishmentType(_I, SCHOOL, ground_n=True),
    # A school in Wales is a school under EA 1996 (which extends to Wales): a pupil on its
    # roll is not missing education, though Welsh registration rules apply to it.
    "Welsh establishment": EstablishmentType(_O, SCHOOL),
    # 16 to 19 Academies (Academies Act 2010 s1B) are not schools: post-16 only.
    "Academy 16-19 converter": EstablishmentType(_A, NOT_A_SCHOOL),
    "Academy 16 to 19 sponsor led": EstablishmentType(_A, NOT_A_SCHOOL),
    "Free schools 16 to 19": EstablishmentType(_F, NOT_A_SCHOOL),
    # A secure 16 to 19 Academy is a secure school (detention: regulation 9(1)(j)).
    "Academy secure 16 to 19": EstablishmentType(_O, NOT_A_SCHOOL),
    # Colleges and universities: a 14 to 16 pupil there is educated otherwise than at school.
    "Further education": EstablishmentType(_O, NOT_A_SCHOOL),
    "Sixth form centres": EstablishmentType(_O, NOT_A_SCHOOL),
    "Special post 16 institution": EstablishmentType(_O, NOT_A_SCHOOL),
    "Higher education institutions": EstablishmentType(_O, NOT_A_SCHOOL),
    # Secure children's homes and training centres: detention, not a school roll.
    "Secure units": EstablishmentType(_O, NOT_A_SCHOOL),
    # Accredited online education: not a school unless registered as an independent one.
    "Online provider": EstablishmentType(_O, NOT_A_SCHOOL),
    # Outside England and Wales: a child there is abroad for CME.
    "Offshore schools": EstablishmentType(_O, NOT_A_SCHOOL),
    "Service children's education": EstablishmentType(_O, NOT_A_SCHOOL),
    "British schools overseas": EstablishmentType(_O, NOT_A_SCHOOL),
    # Catch-alls GIAS keeps for what fits nowhere else (hospitals' education, MoJ and MoD
    # establishments): not schools unless registered as one.
    "Miscellaneous": EstablishmentType(_O, NOT_A_SCHOOL),
    "Institution funded by other government department": EstablishmentType(_O, NOT_A_SCHOOL),
}
_BY_NAME = {name.casefold(): kind for name, kind in ESTABLISHMENT_TYPES.items()}

#: Types GIAS has that are not establishments of the national list: their rows are skipped.
NOT_ESTABLISHMENTS: frozenset[str] = frozenset(
    {"children's centre", "children's centre linked site", "children's centres"}
)

#: What an unknown type is imported as (and reported): a school or not cannot be told.
UNKNOWN = EstablishmentType(_O, NOT_A_SCHOOL)


def establishment_type(gias_type: str) -> EstablishmentType | None:
    """What ``gias_type`` is, or None for a wording not in :data:`ESTABLISHMENT_TYPES`."""
    return _BY_NAME.get(gias_type.casefold())


def is_not_an_establishment(gias_type: str) -> bool:
    """A children's centre (or its linked site): not imported."""
    return gias_type.casefold().replace("\u2019", "'") in NOT_ESTABLISHMENTS


def school_types(*, is_school: bool = True) -> list[str]:
    """The GIAS wordings that are (or are not) schools for CME, e.g. for a queryset filter
    ``gias_type__in=school_types()``."""
    return [name for name, kind in ESTABLISHMENT_TYPES.items() if kind.is_school is is_school]


def ground_n_applies(gias_type: str) -> bool:
    """Whether regulation 9(1)(n) can apply at a school of this GIAS type."""
    kind = establishment_type(gias_type)
    return kind is not None and kind.ground_n
