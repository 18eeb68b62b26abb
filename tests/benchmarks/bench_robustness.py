"""Worst inputs of each robustness class (issue 18): time and peak RSS, each case on its own.

Run: .venv/bin/python -m tests.benchmarks.bench_robustness [case ...]
Seconds are the reading/cleaning alone (building the input and imports are not timed).
Each case runs in a fresh subprocess (so its peak RSS, VmHWM, is its own) and prints one
Markdown row: case | input | seconds | peak RSS MB | outcome.
"""

from __future__ import annotations

import csv
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _shortcodes(tmp: Path) -> tuple[str, Callable[[], str]]:
    from desktop_app.core.ingest.markup import markdown_to_prose

    text = "{{< highlight go >}}" * 1600  # 32 KB: 225 s with the old paired pattern
    return (
        "32 KB of unclosed Hugo pair openers",
        lambda: f"{len(markdown_to_prose(text))} chars left",
    )


def _docx(tmp: Path) -> tuple[str, Callable[[], str]]:
    import docx

    from desktop_app.core.ingest.base import ImportOptions
    from desktop_app.core.ingest.word import read_docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    xml = source.read("word/document.xml").decode()
    at = xml.index("<w:sectPr")
    xml = xml[:at] + "<w:p><w:r><w:t>Word.</w:t></w:r></w:p>" * 1_000_000 + xml[at:]
    path = tmp / "tiny.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, xml if item.filename == "word/document.xml" else source.read(item))
    options = ImportOptions(max_file_bytes=500_000_000)
    return (
        "docx, 1,000,000 one-word paragraphs",
        lambda: f"{read_docx(path, options).posts[0].word_count:,} words",
    )


def _tags(tmp: Path) -> tuple[str, Callable[[], str]]:
    from desktop_app.core.ingest.base import ImportOptions
    from desktop_app.core.ingest.csvfile import read_csv

    path = tmp / "tags.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "text", "tags"])
        writer.writerow(["T", "Words of a post.", ";".join(f"t{i}" for i in range(150_000))])
    return (
        "CSV cell with 150,000 tags",
        lambda: f"{len(read_csv(path, ImportOptions()).posts[0].tags):,} tags",
    )


def _huge_paragraph(tmp: Path) -> tuple[str, Callable[[], str]]:
    from desktop_app.core.ingest.base import ImportOptions
    from desktop_app.core.ingest.dispatch import read_file

    path = tmp / "huge.html"
    path.write_text(f"<p>{'word ' * 2_400_000}</p>", encoding="utf-8")  # 12 MB text node
    options = ImportOptions(max_file_bytes=40_000_000)
    return (
        "HTML paragraph of 12 MB",
        lambda: f"{read_file(path, options).posts[0].word_count:,} words kept",
    )


def _deep_html(tmp: Path) -> tuple[str, Callable[[], str]]:
    from desktop_app.core.ingest.markup import html_to_prose

    html = "<div>" * 2000 + "deep words" + "</div>" * 2000 + "<p>after</p>"
    return "HTML nested 2,000 deep", lambda: f"{len(html_to_prose(html).split())} words kept"


def _warnings(tmp: Path) -> tuple[str, Callable[[], str]]:
    from desktop_app.core.importer import FileReport

    found = [f"no date found (row {i}): imported as undated" for i in range(1_000_000)]
    report = FileReport(Path("x.csv"), "imported", 1_000_000, warnings=found)
    return (
        "1,000,000 warnings of one file",
        lambda: f"{report.line().count(chr(10)) + 1} lines printed",
    )


def _atx_title(tmp: Path) -> tuple[str, Callable[[], str]]:
    from desktop_app.core.ingest.base import ImportOptions
    from desktop_app.core.ingest.dispatch import read_file

    path = tmp / "title.md"
    path.write_text("# a" + " " * 4000 + "\n\n" + "Words of a post. " * 40, encoding="utf-8")
    return (
        "'# a' + 4,000 spaces as the first line (75 s before)",
        lambda: f"title {read_file(path, ImportOptions()).posts[0].title!r}",
    )


def _byline(tmp: Path) -> tuple[str, Callable[[], str]]:
    from desktop_app.core.ingest.authors import parse_authors

    value = "Ann Lee" + " " * 20_000 + "x"
    return "author field with 20 KB of spaces (36 s before)", lambda: str(parse_authors(value))


def _laughs(tmp: Path) -> tuple[str, Callable[[], str]]:
    from desktop_app.core.ingest.base import ImportOptions
    from desktop_app.core.ingest.dispatch import read_file

    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 9)]
    front = "---\n" + "\n".join(lines) + "\ntags: *a8\n---\n"
    path = tmp / "laughs.md"
    path.write_text(front + "Words of a post. " * 40, encoding="utf-8")
    return (
        f"{len(front)}-byte front matter expanding to 9^9 strings",
        lambda: str(read_file(path, ImportOptions()).error),
    )


Case = Callable[[Path], tuple[str, Callable[[], str]]]
#: Each case builds its input (not timed) and returns what it is and the work to time.
CASES: dict[str, Case] = {
    "shortcodes": _shortcodes, "docx": _docx, "tags": _tags,
    "huge-paragraph": _huge_paragraph, "deep-html": _deep_html, "warnings": _warnings,
    "atx-title": _atx_title, "byline": _byline, "yaml-aliases": _laughs,
}  # fmt: skip


def run_case(name: str) -> dict[str, object]:
    """Run one case here and return its figures."""
    with tempfile.TemporaryDirectory() as tmp:
        what, work = CASES[name](Path(tmp))
        start = time.perf_counter()
        outcome = work()
        seconds = time.perf_counter() - start
    return {"case": name, "input": what, "seconds": seconds, "rss": _peak_mb(), "out": outcome}


def main(names: list[str]) -> None:
    """Each case in a subprocess; one Markdown row per case."""
    print("| case | input | seconds | peak RSS MB | outcome |\n|---|---|---|---|---|")
    for name in names or list(CASES):
        done = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.bench_robustness", "--one", name],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"| {r['case']} | {r['input']} | {r['seconds']:.2f} | {r['rss']:,.0f} | {r['out']} |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(run_case(sys.argv[2])))
    else:
        main(sys.argv[1:])
