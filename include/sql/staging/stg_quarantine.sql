-- Price rows that failed a row check, with the checks they failed
-- (reason: check names separated by "; ") and the raw file they came from.
with

lake_quarantine as (
    select * from lake.quarantine_prices_daily
),

final as (
    select
        cast(lake_quarantine.symbol as varchar) as symbol,
        cast(lake_quarantine.date as date) as date,
        cast(lake_quarantine.open as double) as open,
        cast(lake_quarantine.high as double) as high,
        cast(lake_quarantine.low as double) as low,
        cast(lake_quarantine.close as double) as close,
        cast(lake_quarantine.adj_close as double) as adj_close,
        cast(lake_quarantine.volume as bigint) as volume,
        cast(lake_quarantine.currency as varchar) as currency,
        cast(lake_quarantine.source as varchar) as source,
        cast(lake_quarantine.ingested_at as timestamptz) as ingested_at,
        cast(lake_quarantine.run_id as varchar) as run_id,
        cast(lake_quarantine.reason as varchar) as reason,
        cast(lake_quarantine.raw_key as varchar) as raw_key
    from lake_quarantine
)

select * from final
