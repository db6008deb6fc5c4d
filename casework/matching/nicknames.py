"""Names that are the same first name: nicknames and spellings (Bill and William, Kate and
Katherine, Mohammed and Muhammad).

A small curated table rather than a library: the libraries on PyPI are US-centred and
unkept, and what matters here is the names of children in England (British, Irish,
Welsh, South Asian, Polish and other Eastern European). Each line is one group of
normalised keys (see :func:`casework.matching.keys.normalise_name`); a name may be in
more than one group (Jack is John's and Jacob's).
"""

from __future__ import annotations

from functools import cache

_GROUPS = """
william will bill billy liam willie wil
robert rob bob bobby robbie bert
richard rich rick ricky dick richie
edward ed eddie ted teddy ned
james jim jimmy jamie jim seamus
john jon jack johnny jonny sean shaun shawn ian evan ieuan iwan jan janek
jacob jake jack jakub kuba
jonathan jon jonny nathan
joseph joe joey jo jozef jozek
thomas tom tommy tomasz tomek twm
michael mike mikey mick mickey michal micheal
christopher chris kit
nicholas nick nicky nico mikolaj
daniel dan danny
david dave davey dafydd dai dawid
anthony tony antoni
alexander alex alec sandy aleksander olek sasha
andrew andy drew andrzej
benjamin ben benny
samuel sam sammy
matthew matt mateusz mati
patrick pat paddy padraig
charles charlie chas karol
henry harry hal
frederick fred freddie freddy
stephen steven steve stevie
peter pete piotr
paul pawel
george georgie jerzy
alfred alfie alf
archibald archie
oliver ollie olly
theodore theo teddy
elizabeth liz lizzie beth betty eliza libby ellie elzbieta ela
katherine catherine kathryn kate katie cathy kathy kat kasia katarzyna caitlin
margaret maggie meg peggy megan malgorzata gosia
rebecca becky becca
jennifer jen jenny
jessica jess jessie
victoria vicky tori wiktoria
abigail abbie abby gail
alexandra alex lexi sasha aleksandra ola
samantha sam sammy
natalie nat natalia
amelia millie amy
emily emilia em emmy
isabella isabel isobel izzy bella
eleanor ellie nell nora
madeleine madeline maddie madison
sophia sophie zofia zosia
olivia liv livvy
charlotte lottie charlie
anna ann anne annie ania hannah
mary maria marie maja mairead moira
susan sue suzy susie
patricia pat patsy trish
christine christina chris tina krystyna
deborah debbie deb
joanna joanne jo asia
agnieszka aga
aleksander aleks
muhammad mohammed mohammad mohamed muhammed mohamad mohammod mahomed
ahmed ahmad ahmet
abdul abdel
hussain hussein husain hossain
fatima fatimah fatma
aisha ayesha aysha aishah
yusuf yousef youssef joseph
ibrahim ebrahim abraham
ali aly
omar umar
siobhan shivaun chevonne
niamh neve neave
aoife eva
sean shaun shawn
sinead shinead
gareth gaz
rhys reece rees reese
sian sioned
gwen gwenllian gwendolen
evan ieuan iwan
dominik dominic dom
wojciech wojtek
krzysztof krzys
stanislaw staszek stan
"""


def _build() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for line in _GROUPS.strip().splitlines():
        group = set(line.split())
        for name in group:
            table.setdefault(name, set()).update(group)
    return {name: frozenset(names) for name, names in table.items()}


_TABLE = _build()


@cache
def same_name_as(key: str) -> frozenset[str]:
    """The keys that are the same first name as ``key`` (``key`` itself included)."""
    return _TABLE.get(key, frozenset()) | {key} if key else frozenset()


def are_same_name(a: str, b: str) -> bool:
    """Whether two first-name keys are the same name (equal, a nickname or a spelling)."""
    return bool(a) and bool(b) and (a == b or b in same_name_as(a))
