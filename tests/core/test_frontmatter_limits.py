"""YAML alias expansion ("billion laughs") and oversized front matter: refused with the reason.

A 400-byte front matter whose aliases expand to hundreds of millions of values used to take
gigabytes and minutes; the import now refuses that file quickly, names it and the reason, and
imports the rest of the batch. The child process runs under a time and address-space bound.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.ingest.base import ImportOptions, IngestError
from desktop_app.core.ingest.dispatch import read_file
from desktop_app.core.ingest.frontmatter import (
    MAX_ALIASES,
    MAX_SIZE,
    load_yaml,
    split_front_matter,
)
from tests.conftest import DEMO

ROOT = Path(__file__).resolve().parents[2]
GOOD = DEMO / "letsencrypt-blog" / "2025-01-09-acme-profiles.md"


def laughs(field: str, levels: int = 9) -> str:
    """Front matter whose `field` expands to 9 ** levels strings through 8 * 9 aliases."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * 9) + "]")
    return "---\n" + "\n".join(lines) + f"\n{field}: *a{levels - 1}\n---\n"


def many_aliases(count: int) -> str:
    return '---\nname: &n "Ann Lee"\nauthor: [' + ", ".join(["*n"] * count) + "]\n---\n"


BODY = "Some real words of a post that says something about certificates.\n" * 5


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))


def _import_in_child(folder: Path, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", "--db", str(db), "import", str(folder)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, preexec_fn=_limited,
    )  # fmt: skip


@pytest.mark.parametrize("field", ["title", "tags", "author", "ai_assisted"])
def test_billion_laughs_is_refused_and_the_batch_goes_on(tmp_path: Path, field: str) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    assert len(laughs(field)) < 500
    (folder / "laughs.md").write_text(laughs(field) + BODY, encoding="utf-8")
    (folder / "aliases.md").write_text(many_aliases(MAX_ALIASES + 1) + BODY, encoding="utf-8")
    (folder / "good.md").write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    done = _import_in_child(folder, tmp_path / "h.db")
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "MemoryError" not in output
    assert "laughs.md" in output and "front matter too large" in output
    assert "aliases.md" in output and "too many YAML aliases" in output
    listed = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--db", str(tmp_path / "h.db"), "posts"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "Certificate Profile" in listed.stdout  # the good post of the batch was imported
    assert "lol" not in listed.stdout


def test_limits_count_expanded_values() -> None:
    with pytest.raises(IngestError, match=r"front matter too large \('tags'\)"):
        split_front_matter(laughs("tags", levels=7))  # 9 ** 7 = 4.8 million strings
    small = split_front_matter(laughs("tags", levels=3) + BODY)[0]  # 729 strings: fine
    assert small["tags"][8][8] == ["lol"] * 9
    with pytest.raises(IngestError, match="too many YAML aliases"):
        load_yaml(many_aliases(MAX_ALIASES + 1)[4:-4])
    assert load_yaml(many_aliases(MAX_ALIASES)[4:-4])["author"] == ["Ann Lee"] * MAX_ALIASES


def test_recursive_and_deep_front_matter_is_refused() -> None:
    with pytest.raises(IngestError, match="nested too deeply"):
        load_yaml("a: &a [*a]\n")  # a list that contains itself
    with pytest.raises(IngestError, match="nested too deeply"):
        load_yaml("a: " + "[" * 5000 + "]" * 5000)
    with pytest.raises(IngestError, match="nested too deeply"):
        split_front_matter("+++\na = " + "[" * 5000 + "]" * 5000 + "\n+++\n")
    with pytest.raises(IngestError, match="invalid YAML front matter"):
        load_yaml("a: " + "1" * 5000)  # Python refuses integers of over 4,300 digits


def test_ordinary_anchors_still_load() -> None:
    meta, body = split_front_matter(
        "---\ndefaults: &d {layout: post, tags: [go]}\npost:\n  <<: *d\n  title: Hi\n---\nText\n"
    )
    assert meta["post"] == {"layout": "post", "tags": ["go"], "title": "Hi"}
    assert body == "Text\n"


def test_unprintable_characters_are_invalid_yaml() -> None:
    with pytest.raises(IngestError, match="invalid YAML front matter"):
        split_front_matter("---\ntitle: \x1f\n---\nText\n")


@st.composite
def alias_heavy_yaml(draw: st.DrawFn) -> str:
    """Front matter of anchored lists and mappings that alias earlier anchors, any depth."""
    lines = ['a0: &a0 "lol"']
    for n in range(1, draw(st.integers(1, 14))):
        refs = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=12))
        items = ", ".join(f"*a{r}" for r in refs)
        lines.append(
            f"a{n}: &a{n} " + (f"[{items}]" if draw(st.booleans()) else f"{{k: [{items}]}}")
        )
    field = draw(st.sampled_from(["title", "tags", "author", "ai_assisted", "date", "params"]))
    return "---\n" + "\n".join(lines) + f"\n{field}: *a{len(lines) - 1}\n---\n"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(front=alias_heavy_yaml())
def test_alias_heavy_front_matter_is_read_or_refused_quickly(tmp_path: Path, front: str) -> None:
    path = tmp_path / "post.md"
    path.write_text(front + BODY, encoding="utf-8")
    start = time.perf_counter()
    outcome = read_file(path, ImportOptions())
    assert time.perf_counter() - start < 5
    if outcome.error:
        assert "front matter too large" in outcome.error or "too many YAML aliases" in outcome.error
    else:
        post = outcome.posts[0]  # what is kept is within the limit, however it was aliased
        kept = [post.title, *post.tags, *post.authors]
        assert sum(map(len, kept)) <= MAX_SIZE
