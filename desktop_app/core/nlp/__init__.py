"""Language pipelines: which spaCy pipeline to load, and the speed-ups around it."""
