-- Record closes and highs per symbol and date, on Yahoo's split-adjusted close
-- and high (not adj_close: a record is a price the market printed).
--
-- One window pass: every window function shares one partition and order (one sort of
-- the symbol's rows). The dates of the records need no second pass: a record-setting
-- session is one whose close (high) is above every earlier one, or the symbol's first
-- session, so record-setting closes strictly increase within a symbol and a running
-- record (a max over a frame, hence one of the closes) names its session by an
-- equality join on (symbol, value) to the few record-setting sessions.
with

prices as not materialized (
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

-- Padding rows after each symbol's last row (no values, is_padding) that make its row
-- count a multiple of 64. DuckDB 2.0's window segment tree (fan-out 16) shares work
-- between the running frames of neighbouring rows only when a partition starts at a
-- multiple of the fan-out among the rows it sorted; histories of any length start
-- anywhere, and the two running maxima below then cost about three times as much (about
-- 13 s more CPU over 16 million rows). Padding sorts after every real row of its symbol,
-- so it is in no frame of one, and it is dropped right after the window.
padded as (
    select
        prices.*,
        false as is_padding
    from prices
    union all
    select
        row_counts.symbol,
        null as date,
        null as open,
        null as high,
        null as low,
        null as close,
        null as adj_close,
        null as volume,
        true as is_padding
    from (
        select
            prices.symbol,
            count(*) as row_count
        from prices
        group by prices.symbol
    ) as row_counts,
        range((64 - row_counts.row_count % 64) % 64)
),

prior_extremes as (
    select * exclude (is_padding) from (
        select
            padded.*,
            max(padded.close) over earlier_rows as prior_record_close,
            max(padded.high) over earlier_rows as prior_record_high,
            -- the first session of the history the records are counted on
            first_value(padded.date) over by_date as record_basis_start,
            -- 252 earlier rows in the frame from the symbol's 253rd row on
            case
                when row_number() over by_date > 252
                    then max(padded.close) over last_252_rows
            end as high_52w_prior
        from padded
        window
            by_date as (partition by padded.symbol order by padded.date, padded.is_padding),
            earlier_rows as (by_date rows between unbounded preceding and 1 preceding),
            last_252_rows as (by_date rows between 252 preceding and 1 preceding)
    ) as windowed
    where not is_padding
),

-- the running record moves here: a new record, or the symbol's first session
record_close_sessions as (
    select
        prior_extremes.symbol,
        prior_extremes.date,
        prior_extremes.close
    from prior_extremes
    where coalesce(prior_extremes.close > prior_extremes.prior_record_close, true)
),

record_high_sessions as (
    select
        prior_extremes.symbol,
        prior_extremes.date,
        prior_extremes.high
    from prior_extremes
    where coalesce(prior_extremes.high > prior_extremes.prior_record_high, true)
),

record_dates as (
    select
        prior_extremes.*,
        prior_close_session.date as prior_record_close_date,
        prior_high_session.date as prior_record_high_date,
        -- max(close) up to and including this row (close is never NULL here)
        greatest(prior_extremes.close, prior_extremes.prior_record_close) as record_close,
        record_session.date as record_close_date,
        coalesce(prior_extremes.close > prior_extremes.prior_record_close, false)
            as is_record_close,
        coalesce(prior_extremes.high > prior_extremes.prior_record_high, false)
            as is_record_high,
        coalesce(
            prior_extremes.high > prior_extremes.prior_record_close
            and prior_extremes.close <= prior_extremes.prior_record_close,
            false
        ) as is_tested_and_failed
    from prior_extremes
    left join record_close_sessions as prior_close_session
        on
            prior_extremes.symbol = prior_close_session.symbol
            and prior_extremes.prior_record_close = prior_close_session.close
    left join record_high_sessions as prior_high_session
        on
            prior_extremes.symbol = prior_high_session.symbol
            and prior_extremes.prior_record_high = prior_high_session.high
    left join record_close_sessions as record_session
        on
            prior_extremes.symbol = record_session.symbol
            and greatest(prior_extremes.close, prior_extremes.prior_record_close)
            = record_session.close
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
        record_dates.record_basis_start,
        (
            record_dates.close
            / greatest(
                record_dates.close, coalesce(record_dates.prior_record_close, record_dates.close)
            )
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
