"""The prices_daily DAG's domain: fetch each symbol's bars, validate them, merge them into the lake."""
