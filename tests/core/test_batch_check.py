"""Batch scoring of CSV/JSONL files made from the labelled set: streaming, bad lines, CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.aistyle import load_model
from desktop_app.core.analysis.batch_check import BatchError, iter_batch_results
from tests.conftest import DATA

LABELLED = DATA / "ai-vs-human" / "l2r-gpt4o-public.jsonl"


def _records(n: int = 12) -> list[dict[str, str]]:
    lines = LABELLED.read_text(encoding="utf-8").splitlines()[::233][:n]
    return [{"id": r["id"], "text": r["text"]} for r in map(json.loads, lines)]


def _jsonl(tmp_path: Path, bad_at: int = 5) -> tuple[Path, list[dict[str, str]]]:
    records = _records()
    lines = [json.dumps(r) for r in records]
    lines.insert(bad_at, '{"id": "broken", "text": "unterminated')
    lines.insert(bad_at + 2, json.dumps({"id": "no-text"}))
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, records


def test_jsonl_one_result_per_record_and_bad_lines_do_not_stop_it(tmp_path: Path) -> None:
    path, records = _jsonl(tmp_path)
    results = list(iter_batch_results(path))
    assert len(results) == len(records) + 2
    errors = [r for r in results if "error" in r]
    assert [e["line"] for e in errors] == [6, 8]
    assert str(path) in errors[0]["error"] and "not valid JSON" in errors[0]["error"]
    assert "missing or empty 'text'" in errors[1]["error"]
    good = [r for r in results if "error" not in r]
    assert [r["id"] for r in good] == [r["id"] for r in records]
    model = load_model()
    for result, record in zip(good, records, strict=True):
        assert result["ai_style_probability"] == round(model.score(record["text"]).probability, 6)
        assert "text" not in result


def test_csv_records_with_generated_ids_and_dates(tmp_path: Path) -> None:
    path = tmp_path / "batch.csv"
    records = _records(5)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Text", "date", "ID"])
        for i, r in enumerate(records):
            writer.writerow([r["text"], "2024-01-0" + str(i + 1), r["id"] if i else ""])
        writer.writerow(["", "2024-02-01", "empty"])
    results = list(iter_batch_results(path))
    assert len(results) == 6
    assert results[0]["id"] == "batch.csv:2" and results[0]["date"] == "2024-01-01"
    assert [r["id"] for r in results[1:5]] == [r["id"] for r in records[1:]]
    last = results[5]
    assert last["line"] > results[4]["line"] and f"batch.csv:{last['line']}" in last["error"]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[last["line"] - 1].startswith(",2024-02-01,empty")


def test_whole_file_problems_are_clear_errors(tmp_path: Path) -> None:
    no_text = tmp_path / "cols.csv"
    no_text.write_text("id,body\n1,hello\n", encoding="utf-8")
    with pytest.raises(BatchError, match=r"cols\.csv.*'text' column"):
        list(iter_batch_results(no_text))
    with pytest.raises(BatchError, match="unsupported"):
        list(iter_batch_results(tmp_path / "data.xlsx"))
    with pytest.raises(BatchError, match="no such file"):
        list(iter_batch_results(tmp_path / "missing.jsonl"))


def test_cli_check_batch_writes_one_json_line_per_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, records = _jsonl(tmp_path)
    assert run(["check-batch", str(path), "--json", "--ai-style-only"]) == 1  # some failed
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(records) + 2
    parsed = [json.loads(line) for line in lines]
    assert sum("error" in p for p in parsed) == 2
    assert all(0 <= p["ai_style_probability"] <= 1 for p in parsed if "error" not in p)


def test_cli_check_batch_bad_file_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["check-batch", str(tmp_path / "nope.jsonl"), "--json"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "nope.jsonl" in err and "Traceback" not in err


def test_batch_with_the_engine_reports_every_metric_and_freshness(
    tmp_path: Path, db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop_app.core.analysis.engine import AnalysisEngine
    from desktop_app.core.metrics.registry import REGISTRY

    path = tmp_path / "three.jsonl"
    records = _records(3)
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    assert run(["--db", str(db_file), "check-batch", str(path), "--json"]) == 0
    parsed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [p["id"] for p in parsed] == [r["id"] for r in records]
    expected = AnalysisEngine(db_file).check_text(records[0]["text"])
    assert set(parsed[0]["metrics"]) == set(REGISTRY)
    assert "freshness" in parsed[0]
    mtld = next(m for m in expected.metrics if m.name == "mtld").value
    assert parsed[0]["metrics"]["mtld"] == pytest.approx(mtld, abs=1e-4)
    assert parsed[0]["metrics"]["ai_style_probability"] == pytest.approx(
        parsed[0]["ai_style_probability"], abs=1e-4
    )
