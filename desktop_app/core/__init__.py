"""Qt-free core of Content Drift: ingest, analysis, history, baseline, trends and reports."""
