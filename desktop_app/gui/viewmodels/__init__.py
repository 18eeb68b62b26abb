"""Qt-free view-models of the window: what each page shows, built from the core's results."""
