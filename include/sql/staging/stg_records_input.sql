-- The rows marts.records computes: every price row with a close and a high (a full
-- build). An incremental build replaces this view, for the duration of the build, by
-- the rows of the symbols it recomputes or extends, with is_context marking the
-- published rows that only feed the extended symbols' trailing windows.
with

prices as (
    select * from staging.stg_prices_daily
),

final as (
    select
        prices.symbol,
        prices.date,
        prices.open,
        prices.high,
        prices.low,
        prices.close,
        prices.adj_close,
        prices.volume,
        false as is_context
    from prices
    where
        prices.close is not null
        and prices.high is not null
)

select * from final
