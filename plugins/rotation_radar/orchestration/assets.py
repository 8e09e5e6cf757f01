"""Assets of the lake and the warehouse, defined once for producers and consumers."""

from __future__ import annotations

from airflow.sdk import Asset

PRICES_DAILY = Asset(name="prices_daily", uri="rotation-radar://lake/prices_daily")
CORPORATE_ACTIONS = Asset(name="corporate_actions", uri="rotation-radar://lake/corporate_actions")
DATA_QUALITY = Asset(name="data_quality", uri="rotation-radar://lake/data_quality")
WAREHOUSE = Asset(name="warehouse", uri="rotation-radar://warehouse/radar.duckdb")
FOMC_STATEMENTS = Asset(name="fomc_statements", uri="rotation-radar://lake/fomc_statements")
FOMC_PROJECTIONS = Asset(
    name="fomc_projections", uri="rotation-radar://lake/fomc_projections"
)  # + fomc_dots
FED_RATES = Asset(name="fed_rates", uri="rotation-radar://lake/fed_rates")  # target range + yields
UNIVERSE_MEMBERS = Asset(name="universe_members", uri="rotation-radar://lake/universe_members")
EARNINGS_FACTS = Asset(
    name="earnings_facts", uri="rotation-radar://lake/earnings_facts"
)  # + earnings_ttm
