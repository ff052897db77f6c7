"""The sample's source files: where they are, the people in them, and placeholder substitution."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from importlib.resources.abc import Traversable

from readingroom.errors import InputFileError
from readingroom.resources import resource
from readingroom.sample.constants import PERSON


def sample_source_dir() -> Traversable:
    """Return the folder holding the sample's source files (package data)."""
    return resource("sample")


@dataclass(frozen=True)
class Person:
    """One person of the sample: a role label and the fictional names of the draft."""

    code: str
    label: str
    full: str
    title: str
    first: str
    initial: str

    def name(self, form: str | None) -> str:
        """Return this person's fictional name in ``form`` (None: the full name)."""
        value: str = getattr(self, form or "full")
        if not value:
            raise ValueError(f"people.csv gives {self.code} no {form} form")
        return value


def read_text(name: str) -> str:
    try:
        return (sample_source_dir() / name).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputFileError(f"The sample document source {name} cannot be read.") from exc


def read_csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(read_text(name))))


def load_people() -> dict[str, Person]:
    """Load ``people.csv``: placeholder code -> :class:`Person`."""
    return {row["code"]: Person(**row) for row in read_csv("people.csv")}


def name_variants(people: dict[str, Person]) -> list[tuple[str, str]]:
    """Return every ``(fictional name, role label)`` pair the draft can contain.

    This is what ``names.csv`` must list for the prepare step to turn the draft into the
    labelled version; the tests check that the file and this function agree.
    """
    pairs = {
        (person.name(form), person.label)
        for person in people.values()
        for form in ("full", "title", "first", "initial")
        if getattr(person, form)
    }
    return sorted(pairs)


def substitute_people(text: str, people: dict[str, Person], *, real_names: bool) -> str:
    """Replace ``{SW1}``, ``{SW1.title}``, ``{SW1.first}``, ``{SW1.initial}`` placeholders."""

    def replace(match: re.Match[str]) -> str:
        person = people.get(match.group(1))
        if person is None:
            raise ValueError(f"unknown person placeholder {match.group(0)}")
        name = person.name(match.group(2))  # validates the form in both variants
        return name if real_names else person.label

    return PERSON.sub(replace, text)
