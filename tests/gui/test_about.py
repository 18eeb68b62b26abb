"""Help > About: version, license, the pipeline in use, model and demo-data provenance."""

from __future__ import annotations

from pathlib import Path

from desktop_app import __version__


def test_about_box_names_version_license_pipeline_and_provenance(
    qtbot, window_for, db_file: Path
) -> None:
    window = window_for(db_file)
    with qtbot.waitSignal(window.analysis.pipeline_loaded, timeout=120_000) as loaded:
        window.analysis.load_pipeline()
    window.about_action.trigger()
    dialog = window.about_dialog
    assert dialog.isVisible()
    text = dialog.text()
    assert f"Content Drift {__version__}" in text
    assert "MIT License" in text
    assert f"In use: {loaded.args[0].label}" in text
    # AI-style model provenance read from models/ai_style/model.json
    assert "L2R dataset" in text and "CC-BY-3.0" in text
    assert "PROVENANCE.md" in text
    # both demo corpora with their licenses
    assert "OpenTelemetry blog — CC-BY-4.0" in text
    assert "Let's Encrypt blog — MPL-2.0" in text
    assert "does not check for updates" in text
    dialog.close()
