"""Write (or check) models/MANIFEST: the sha256 of every file under models/, `sha256sum` style.

Usage: .venv/bin/python scripts/build_manifest.py [--check]
`cd models && sha256sum -c MANIFEST` verifies a copy by hand. models/spacy/ (the pipeline that
packaging/build.sh stages only inside the bundle) is not listed.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

MODELS = Path(__file__).resolve().parents[1] / "models"
MANIFEST = "MANIFEST"
SKIPPED_DIRS = {"spacy", "__pycache__"}


def model_files(root: Path = MODELS) -> list[Path]:
    """Every file under `root` that the manifest covers, sorted by relative path."""
    files = [
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.name != MANIFEST
        and not p.name.startswith(".")
        and not SKIPPED_DIRS.intersection(p.relative_to(root).parts)
    ]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_text(root: Path = MODELS) -> str:
    """The manifest for the files under `root` now."""
    lines = [f"{sha256(p)}  {p.relative_to(root).as_posix()}" for p in model_files(root)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the manifest, or with --check report drift and return 1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    target = MODELS / MANIFEST
    wanted = manifest_text()
    if not args.check:
        target.write_text(wanted, encoding="utf-8")
        print(f"wrote {target} ({len(wanted.splitlines())} files)")
        return 0
    current = target.read_text(encoding="utf-8") if target.is_file() else ""
    if current == wanted:
        print(f"{target}: up to date")
        return 0
    changed = sorted(set(wanted.splitlines()) ^ set(current.splitlines()))
    print(f"{target}: out of date; run scripts/build_manifest.py", *changed, sep="\n")
    return 1


if __name__ == "__main__":
    sys.exit(main())
