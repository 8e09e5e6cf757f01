"""The prices_daily DAG's domain: fetch each symbol's bars, validate them (checks) and
merge them into the lake (ingest)."""
