"""The Qt desktop GUI (the only package that imports PySide6 widgets)."""
