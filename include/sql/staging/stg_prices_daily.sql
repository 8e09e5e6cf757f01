-- Daily prices, one row per symbol and date, typed. The curated lake keeps keys
-- unique; should a key ever appear twice, the latest ingestion wins.
-- close is split-adjusted (Yahoo), adj_close split- and dividend-adjusted.
with

lake_prices as (
    select * from lake.prices_daily
),

typed as (
    select
        cast(lake_prices.symbol as varchar) as symbol,
        cast(lake_prices.date as date) as date,
        cast(lake_prices.open as double) as open,
        cast(lake_prices.high as double) as high,
        cast(lake_prices.low as double) as low,
        cast(lake_prices.close as double) as close,
        cast(lake_prices.adj_close as double) as adj_close,
        cast(lake_prices.volume as bigint) as volume,
        cast(lake_prices.currency as varchar) as currency,
        cast(lake_prices.adjustment as varchar) as adjustment,
        cast(lake_prices.source as varchar) as source,
        cast(lake_prices.ingested_at as timestamptz) as ingested_at,
        cast(lake_prices.run_id as varchar) as run_id
    from lake_prices
),

-- Each symbol's rows sorted once (by date, the latest ingestion first), keeping the
-- first row of each date; row_number keeps one row of a symbol whose only date is NULL.
final as (
    select typed.* from typed
    window
        latest_first as (
            partition by typed.symbol
            order by typed.date asc, typed.ingested_at desc, typed.run_id desc
        )
    qualify
        lag(typed.date) over latest_first is distinct from typed.date
        or row_number() over latest_first = 1
)

select * from final
