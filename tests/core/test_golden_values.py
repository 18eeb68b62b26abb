"""Analysis stores exactly what main's code stored before the throughput work (issue 17).

The expected values (tests/data/analysis-golden.json) were made by `tests.core.golden_values`
with the code of main at eb77448, on 31 real demo posts, with the blank and the small
pipeline. Every stored column but the timestamp is compared, the detail JSON key by key, and
every evidence row; floats to 1e-9 relative (rounding only).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from tests.core import golden_values

REL = 1e-9


def _expected(pipeline: str) -> dict[str, Any]:
    return golden_values.load_fixture()[pipeline]


def _same(actual: Any, expected: Any, where: str) -> None:
    """Equal, floats to REL; nested lists/dicts compared element by element."""
    if isinstance(expected, float) and isinstance(actual, int | float):
        assert math.isclose(actual, expected, rel_tol=REL, abs_tol=0.0), where
    elif isinstance(expected, dict):
        assert isinstance(actual, dict) and actual.keys() == expected.keys(), where
        for key, value in expected.items():
            _same(actual[key], value, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), where
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            _same(a, e, f"{where}[{i}]")
    else:
        assert actual == expected and type(actual) is type(expected), where


@pytest.mark.parametrize("pipeline", golden_values.PIPELINES)
def test_stored_values_and_evidence_are_unchanged(pipeline: str, tmp_path: Path) -> None:
    expected = _expected(pipeline)
    actual = golden_values.stored(pipeline, tmp_path)
    assert len(expected["values"]) == 31 * 17  # every post, every metric
    assert len(actual["values"]) == len(expected["values"])
    for got, want in zip(actual["values"], expected["values"], strict=True):
        _same(got, want, f"{want[0][:8]}/{want[1]}")
    assert len(actual["evidence"]) == len(expected["evidence"])
    for got, want in zip(actual["evidence"], expected["evidence"], strict=True):
        assert got == want


def test_the_comparison_notices_a_changed_value() -> None:
    row = next(r for r in _expected("blank")["values"] if r[1] == "mtld")
    assert row[2] > 0
    _same(json.loads(json.dumps(row)), row, "copy")
    changed = [*row[:2], row[2] * (1 + 1e-6), *row[3:]]
    with pytest.raises(AssertionError):
        _same(changed, row, "changed")
