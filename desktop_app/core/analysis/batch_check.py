"""Score many texts from a CSV or JSONL file without storing them, one result per record.

Records stream: the file is read line by line and each result is yielded as soon as it is
computed, so memory stays flat however long the file is. A bad record yields an error result
(naming the file, the line and the reason) and the batch goes on.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.core.aistyle.model import AIStyleModel, load_model

if TYPE_CHECKING:
    from desktop_app.core.analysis.engine import AnalysisEngine

#: Longest text accepted in one record (characters).
MAX_TEXT_CHARS = 2_000_000
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}

#: Extra analysis of one text (text, date or None): keys to merge into the result.
Analyzer = Callable[[str, str | None], dict[str, Any]]


class BatchError(Exception):
    """The batch file as a whole cannot be read; the message names the file and the reason."""


def _record(raw: Any, where: str, line: int) -> dict[str, Any]:
    """Validate one parsed record; raise ValueError with the reason."""
    if not isinstance(raw, dict):
        raise ValueError("expected an object with 'id' and 'text'")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("missing or empty 'text'")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"text longer than {MAX_TEXT_CHARS:,} characters")
    record_id = raw.get("id")
    record_id = str(record_id) if record_id not in (None, "") else f"{where}:{line}"
    date = raw.get("date")
    return {"id": record_id, "line": line, "date": str(date) if date else None, "text": text}


def _jsonl_records(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    with path.open("rb") as handle:
        for number, raw_line in enumerate(handle, start=1):
            if not raw_line.strip():
                continue
            try:
                data = json.loads(raw_line.decode("utf-8"))
                yield number, _record(data, path.name, number)
            except UnicodeDecodeError:
                yield number, "not valid UTF-8"
            except json.JSONDecodeError as exc:
                yield number, f"not valid JSON ({exc.msg})"
            except ValueError as exc:
                yield number, str(exc)


def _csv_records(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    csv.field_size_limit(min(sys.maxsize, MAX_TEXT_CHARS * 4))
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "text" not in [f.strip().lower() for f in reader.fieldnames]:
            raise BatchError(f"{path}: the CSV needs a header row with a 'text' column")
        while True:
            start = reader.line_num + 1  # a quoted text may span several lines
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, f"malformed CSV row ({exc})"
                continue
            row = {(k or "").strip().lower(): v for k, v in row.items()}
            try:
                yield start, _record(row, path.name, start)
            except ValueError as exc:
                yield start, str(exc)


def check_batch_file(path: Path) -> str:
    """The file's kind ('jsonl' or 'csv'), or BatchError when it cannot be a batch file."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise BatchError(f"{path}: unsupported batch file type (use .csv or .jsonl)")
    if not path.is_file():
        raise BatchError(f"{path}: no such file")
    return kind


def read_records(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line, record) pairs, or (line, reason) for a record that cannot be used."""
    kind = check_batch_file(path)
    return _jsonl_records(path) if kind == "jsonl" else _csv_records(path)


def score_record(
    record: dict[str, Any], model: AIStyleModel, analyze: Analyzer | None
) -> dict[str, Any]:
    """The result object of one good record (text itself left out)."""
    style = model.score(record["text"])
    result = {k: record[k] for k in ("id", "line", "date")}
    result["words"] = style.words
    result["ai_style_probability"] = round(style.probability, 6)
    result["ai_style_top_terms"] = [term for term, _ in style.top_terms]
    if analyze is not None:
        result.update(analyze(record["text"], record["date"]))
    return result


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def engine_analyzer(engine: AnalysisEngine) -> Analyzer:
    """Every metric, the dimension scores and the freshness index of a text, via the engine."""

    def analyze(text: str, day: str | None) -> dict[str, Any]:
        check = engine.check_text(text, None, _day(day))
        data = check.to_json()
        return {
            "pipeline": data["pipeline"]["name"],
            "freshness": data["freshness"],
            "dimensions": data["dimensions"],
            "metrics": {m["name"]: m["value"] for m in data["metrics"]},
            "percentiles": {m["name"]: m["percentile"] for m in data["metrics"]},
        }

    return analyze


def iter_batch_results(
    path: Path, analyze: Analyzer | None = None, model: AIStyleModel | None = None
) -> Iterator[dict[str, Any]]:
    """Stream one result dict per record of a CSV/JSONL file; bad records give {'error': ...}."""
    model = model or load_model()
    for line, record in read_records(path):
        if isinstance(record, str):
            yield {"id": None, "line": line, "error": f"{path}:{line}: {record}"}
            continue
        try:
            yield score_record(record, model, analyze)
        except Exception as exc:  # one text must never stop the batch
            reason = f"{path}:{line}: could not analyse ({type(exc).__name__}: {exc})"
            yield {"id": record["id"], "line": line, "error": reason}
