"""The watermark text: template validation, sanitising of untrusted values, the band."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readingroom.errors import UsageError
from readingroom.watermark import (
    DEFAULT_WATERMARK_TEMPLATE,
    MAX_LINE_CHARS,
    MAX_OPACITY,
    MIN_OPACITY,
    WATERMARK_FIELDS,
    WatermarkSpec,
    build_watermark,
    sanitise_value,
    validate_template,
)

WHEN = datetime(2025, 3, 14, 9, 26)


def _build(template: str = DEFAULT_WATERMARK_TEMPLATE, **overrides: str) -> WatermarkSpec:
    values = {
        "reader_name": "Alex Reader",
        "reader_id": "R-042",
        "organisation": "Borough Council",
        "workstation": "ROOM-PC-3",
        "session_code": "7K2M-9QXD",
        "classification": "OFFICIAL-SENSITIVE",
    }
    values.update(overrides)
    return build_watermark(template, when=WHEN, **values)


def test_default_template_fills_every_line() -> None:
    spec = _build()
    assert spec.tile_lines == (
        "Alex Reader · R-042",
        "ROOM-PC-3 · 2025-03-14 09:26",
        "Session 7K2M-9QXD",
    )
    assert spec.band_text == "OFFICIAL-SENSITIVE   ·   Session 7K2M-9QXD"
    assert MIN_OPACITY <= spec.opacity <= MAX_OPACITY


def test_every_field_is_accepted() -> None:
    validate_template(" ".join("{" + name + "}" for name in WATERMARK_FIELDS))


@pytest.mark.parametrize(
    "template",
    [
        "",
        "   ",
        "{unknown}",
        "{reader_name!r}",
        "{reader_name:>40}",
        "{reader_name.__class__}",
        "{reader_name[0]}",
        "{0}",
        "{}",
        "{reader_name",
        "reader_name}",
        "x" * 401,
        "\n".join(["{date}"] * 7),
    ],
)
def test_bad_templates_are_refused(template: str) -> None:
    with pytest.raises(UsageError):
        validate_template(template)


def test_error_message_does_not_echo_the_template() -> None:
    with pytest.raises(UsageError) as caught:
        validate_template("{secret_field_name}")
    assert "secret_field_name" not in str(caught.value)


def test_control_and_bidi_characters_are_stripped() -> None:
    spec = _build(reader_name="Eve\u202eliam\x00\x1b[31m\nX")
    first = spec.tile_lines[0]
    assert "\u202e" not in first and "\x00" not in first and "\x1b" not in first
    assert first.startswith("Eveliam[31m X")


def test_braces_in_values_are_not_reinterpreted() -> None:
    spec = _build(reader_name="{session_code}")
    assert spec.tile_lines[0].startswith("{session_code}")


def test_long_values_are_capped() -> None:
    spec = _build(reader_name="A" * 10_000)
    for line in spec.tile_lines:
        assert len(line) <= MAX_LINE_CHARS


def test_literal_only_template_still_carries_something() -> None:
    spec = _build("CONFIDENTIAL")
    assert spec.tile_lines == ("CONFIDENTIAL",)


@given(st.text(max_size=300))
def test_sanitise_value_output_is_printable_single_line(value: str) -> None:
    result = sanitise_value(value)
    assert "\n" not in result and "\r" not in result
    assert len(result) <= 80
    assert all(not ch.isspace() or ch == " " for ch in result)
