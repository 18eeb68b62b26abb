"""The analysis wing: the engine facade, result records, batch pipeline, per-post job, workers."""
