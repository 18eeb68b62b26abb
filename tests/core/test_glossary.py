"""The glossary is generated from the registry: every measure has an entry with its caveats."""

from __future__ import annotations

import json

import pytest

from desktop_app.cli import run
from desktop_app.core.metrics.glossary import AI_CAVEAT, DIVERSITY_CAVEAT, entry, glossary
from desktop_app.core.metrics.registry import REGISTRY


def test_every_registered_measure_has_an_entry_from_the_registry() -> None:
    entries = {e.key: e for e in glossary()}
    extra = {"freshness", "percentile", "diversity", "repetition", "genericness", "readability"}
    assert set(REGISTRY) | extra == set(entries)
    for name, spec in REGISTRY.items():
        e = entries[name]
        assert (e.label, e.unit, e.technical) == (spec.label, spec.unit, spec.description)
        assert e.direction in ("higher is fresher", "lower is fresher")
        assert e.meaning and e.moves_it and e.does_not_prove


def test_the_two_caveats_are_said_where_they_belong() -> None:
    assert "not 'less AI'" in DIVERSITY_CAVEAT
    assert "not a verdict on a writer" in AI_CAVEAT
    for name in ("mtld", "mattr", "hdd"):
        assert entry(name).does_not_prove == DIVERSITY_CAVEAT  # type: ignore[union-attr]
    assert entry("ai_style_probability").does_not_prove == AI_CAVEAT  # type: ignore[union-attr]


def test_glossary_cli_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["glossary"]) == 0
    text = capsys.readouterr().out
    assert DIVERSITY_CAVEAT in text and AI_CAVEAT in text and "Freshness index" in text
    assert run(["glossary", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["key"] for d in data][: len(REGISTRY)] == list(REGISTRY)
