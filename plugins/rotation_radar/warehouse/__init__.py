"""The DuckDB warehouse that BI tools query: `build` (lake views, configuration
staging tables, the models of include/sql/, the audit), `publish` (the atomic publish
with its Parquet export, kept builds and rollback), `read` (finding and opening the
published file), `docs` (COMMENT ON and docs/marts.md); `python -m
rotation_radar.warehouse docs|history|rollback` is the command line (`__main__`)."""
