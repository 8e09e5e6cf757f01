-- Record closes and highs per symbol and date, on Yahoo's split-adjusted close
-- and high (not adj_close: a record is a price the market printed).
with

prices as (
    select
        stg_prices_daily.symbol,
        stg_prices_daily.date,
        stg_prices_daily.open,
        stg_prices_daily.high,
        stg_prices_daily.low,
        stg_prices_daily.close,
        stg_prices_daily.adj_close,
        stg_prices_daily.volume
    from staging.stg_prices_daily
    where
        stg_prices_daily.close is not null
        and stg_prices_daily.high is not null
),

prior_extremes as (
    select
        prices.*,
        max(prices.close) over earlier_rows as prior_record_close,
        max(prices.high) over earlier_rows as prior_record_high,
        max(prices.close) over last_252_rows as prior_252_max_close,
        count(*) over last_252_rows as prior_252_rows
    from prices
    window
        earlier_rows as (
            partition by prices.symbol
            order by prices.date
            rows between unbounded preceding and 1 preceding
        ),
        last_252_rows as (
            partition by prices.symbol
            order by prices.date
            rows between 252 preceding and 1 preceding
        )
),

flags as (
    select
        prior_extremes.*,
        coalesce(prior_extremes.close > prior_extremes.prior_record_close, false)
            as is_record_close,
        coalesce(prior_extremes.high > prior_extremes.prior_record_high, false)
            as is_record_high,
        coalesce(
            prior_extremes.high > prior_extremes.prior_record_close
            and prior_extremes.close <= prior_extremes.prior_record_close,
            false
        ) as is_tested_and_failed,
        -- the running record moves here: a new record, or the symbol's first session
        coalesce(prior_extremes.close > prior_extremes.prior_record_close, true)
            as sets_record_close,
        coalesce(prior_extremes.high > prior_extremes.prior_record_high, true)
            as sets_record_high,
        case
            when prior_extremes.prior_252_rows = 252
                then prior_extremes.prior_252_max_close
        end as high_52w_prior
    from prior_extremes
),

record_dates as (
    select
        flags.*,
        max(case when flags.sets_record_close then flags.date end) over earlier_rows
            as prior_record_close_date,
        max(case when flags.sets_record_high then flags.date end) over earlier_rows
            as prior_record_high_date,
        max(case when flags.sets_record_close then flags.date end) over rows_to_date
            as record_close_date,
        max(flags.close) over rows_to_date as record_close
    from flags
    window
        earlier_rows as (
            partition by flags.symbol
            order by flags.date
            rows between unbounded preceding and 1 preceding
        ),
        rows_to_date as (
            partition by flags.symbol
            order by flags.date
            rows between unbounded preceding and current row
        )
),

sessions as (
    select
        stg_sessions.date,
        stg_sessions.session_index
    from staging.stg_sessions
),

final as (
    select
        record_dates.symbol,
        record_dates.date,
        record_dates.open,
        record_dates.high,
        record_dates.low,
        record_dates.close,
        record_dates.adj_close,
        record_dates.volume,
        record_dates.prior_record_close,
        record_dates.prior_record_close_date,
        record_dates.prior_record_high,
        record_dates.prior_record_high_date,
        record_dates.record_close,
        record_dates.record_close_date,
        record_dates.is_record_close,
        record_dates.is_record_high,
        record_dates.is_tested_and_failed,
        (
            record_dates.close
            / greatest(record_dates.close, coalesce(record_dates.prior_record_close, record_dates.close))
            - 1
        ) * 100 as pct_from_record,
        today.session_index - record_day.session_index as sessions_since_record,
        record_dates.high_52w_prior,
        coalesce(record_dates.close > record_dates.high_52w_prior, false) as is_high_52w
    from record_dates
    left join sessions as today
        on record_dates.date = today.date
    left join sessions as record_day
        on record_dates.record_close_date = record_day.date
)

select * from final
