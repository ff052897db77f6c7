"""What the suggestions know about English words and names, all from maintained packages.

- Word frequencies: ``wordfreq`` (Zipf scale: 7 for "the", about 3 for a word seen once per
  million words). A capitalised word that English rarely uses is a likely name.
- First names and surnames: the person providers of ``Faker`` for English-speaking and the
  larger immigrant communities' locales (lists drawn from census and birth-register data).
- Honorifics and titles: ``nameparser``'s title list, plus the abbreviations of UK police and
  nursing ranks it lacks.
- Street suffixes: Faker's ``en_GB`` address provider; town suffixes likewise.

Nothing is downloaded at run time: every list ships inside its wheel. The lists load once per
process (a few hundred milliseconds, mostly wordfreq) and are cached.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache, lru_cache

from faker.providers.address.en_GB import Provider as GbAddresses
from nameparser.config import CONSTANTS as NAME_CONSTANTS
from wordfreq import zipf_frequency

# Locales whose name lists are in Latin script and common in England's case files. Faker names
# each provider module after its locale; the module's Provider class holds the lists.
NAME_LOCALES = (
    "en_GB", "en_IE", "en_US", "en_NZ", "en_IN", "en_PK", "en_NG", "en_KE",
    "pl_PL", "ro_RO", "lt_LT", "pt_PT", "it_IT", "tr_TR", "fr_FR", "de_DE", "es_ES",
)  # fmt: skip
_FIRST_NAME_LISTS = ("first_names", "first_names_male", "first_names_female")
_LAST_NAME_LISTS = ("last_names",)

# nameparser's list is international and has no abbreviations of UK police ranks (Detective
# Constable, Police Constable, Detective Sergeant, ...) nor of "Health Visitor": they name people
# in every Serious Case Review, so they are added here.
EXTRA_TITLES = frozenset(
    {"dc", "pc", "ds", "di", "dci", "dsi", "ps", "insp", "supt", "wpc", "hv", "cllr", "mx"}
)
# Institution words that turn a preceding name into a school or nursery.
SCHOOL_WORDS = frozenset(
    {"school", "academy", "nursery", "college", "primary", "infants", "juniors"}
)
# Faker's street suffixes are American-flavoured; "Close" is the common British one it lacks.
EXTRA_STREET_SUFFIXES = frozenset({"close", "house", "court"})
# Words after which a capitalised name is a place rather than a person.
PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "from", "to", "into", "towards", "around"})


@dataclass(frozen=True)
class WordFacts:
    """What the lexicon knows about one word (looked up case-folded, possessive removed)."""

    zipf: float
    first_name: bool
    surname: bool
    title: bool


@cache
def _name_sets() -> tuple[frozenset[str], frozenset[str]]:
    first: set[str] = set()
    last: set[str] = set()
    for locale in NAME_LOCALES:
        module = importlib.import_module(f"faker.providers.person.{locale}")
        provider = module.Provider
        for attribute, target in [(a, first) for a in _FIRST_NAME_LISTS] + [
            (a, last) for a in _LAST_NAME_LISTS
        ]:
            values = getattr(provider, attribute, ())
            # Some locales weight their names: a dict of name -> frequency.
            target.update(str(name).casefold() for name in values)
    return frozenset(first), frozenset(last)


@cache
def _gendered_first_names() -> dict[str, frozenset[str]]:
    genders: dict[str, set[str]] = {}
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute, gender in (("first_names_male", "m"), ("first_names_female", "f")):
            for name in getattr(provider, attribute, ()):
                genders.setdefault(str(name).casefold(), set()).add(gender)
    return {name: frozenset(found) for name, found in genders.items()}


def first_name_genders(folded: str) -> frozenset[str]:
    """ "m", "f", both or neither: how Faker's lists record a case-folded first name."""
    return _gendered_first_names().get(folded, frozenset())


# Titles that say whether a person is a man or a woman: "Mr Whitlock" is not "Grace Whitlock".
TITLE_GENDERS = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "dame": "f"}


@cache
def titles() -> frozenset[str]:
    """Honorifics and titles, case-folded and without a trailing full stop."""
    return frozenset(t.casefold() for t in NAME_CONSTANTS.titles) | EXTRA_TITLES


@cache
def street_suffixes() -> frozenset[str]:
    """Words that end a street name ("Road", "Close", "Gardens"...), case-folded."""
    return frozenset(s.casefold() for s in GbAddresses.street_suffixes) | EXTRA_STREET_SUFFIXES


@cache
def town_suffixes() -> tuple[str, ...]:
    """Endings of English town names ("-bury", "-ton", "-borough"...)."""
    return tuple(s.casefold() for s in GbAddresses.city_suffixes)


@lru_cache(maxsize=65536)
def word_facts(folded: str) -> WordFacts:
    """Look a case-folded word up in every list (cached: documents repeat their words)."""
    first, last = _name_sets()
    return WordFacts(
        zipf=zipf_frequency(folded, "en"),
        first_name=folded in first,
        surname=folded in last,
        title=folded in titles(),
    )


def warm_up() -> None:
    """Load every list now (so a benchmark or a progress bar does not count the first load)."""
    _name_sets()
    _gendered_first_names()
    titles()
    street_suffixes()
    word_facts("the")
