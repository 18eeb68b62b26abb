"""Reusable widgets: charts, sparklines, drop zone, highlighted text."""
