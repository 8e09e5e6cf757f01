-- Record closes and highs per symbol and date, on Yahoo's split-adjusted close
-- and high (not adj_close: a record is a price the market printed).
--
-- The rows come from staging.stg_records_input: a symbol's whole history in a full
-- build; in an incremental build, the new rows of an extended symbol after its last
-- published rows (is_context: read by the trailing windows, not output), continuing
-- the running records of staging.stg_records_seed. One window pass: every window
-- function shares one partition and order. The dates of the records need no second
-- pass: a record-setting session is one whose close (high) is above every earlier one,
-- or the symbol's first session, so record-setting closes strictly increase within a
-- symbol and a running record (a max over a frame, hence one of the closes, or the
-- seed's) names its session by an equality join on (symbol, value) to the few
-- record-setting sessions, or else is the seed's.
with

prices as not materialized (
    select
        stg_records_input.symbol,
        stg_records_input.date,
        stg_records_input.open,
        stg_records_input.high,
        stg_records_input.low,
        stg_records_input.close,
        stg_records_input.adj_close,
        stg_records_input.volume,
        stg_records_input.is_context
    from staging.stg_records_input
),

seeds as (
    select * from staging.stg_records_seed
),

windowed as (
    select
        prices.*,
        max(case when not prices.is_context then prices.close end) over earlier_rows
            as input_prior_close,
        max(case when not prices.is_context then prices.high end) over earlier_rows
            as input_prior_high,
        first_value(prices.date) over by_date as input_first_date,
        row_number() over by_date as input_row_number,
        max(prices.close) over last_252_rows as input_high_252
    from prices
    window
        by_date as (partition by prices.symbol order by prices.date),
        earlier_rows as (by_date rows between unbounded preceding and 1 preceding),
        last_252_rows as (by_date rows between 252 preceding and 1 preceding)
),

prior_extremes as (
    select
        windowed.symbol,
        windowed.date,
        windowed.open,
        windowed.high,
        windowed.low,
        windowed.close,
        windowed.adj_close,
        windowed.volume,
        -- greatest ignores NULL: the seed's record, the new rows' or both
        greatest(seeds.record_close, windowed.input_prior_close) as prior_record_close,
        greatest(seeds.record_high, windowed.input_prior_high) as prior_record_high,
        seeds.record_close as seed_close,
        seeds.record_close_date as seed_close_date,
        seeds.record_high_date as seed_high_date,
        -- the first session of the history the records are counted on
        coalesce(seeds.record_basis_start, windowed.input_first_date) as record_basis_start,
        coalesce(seeds.rows_before, 0) + windowed.input_row_number as observation_number,
        -- 252 earlier rows in the frame from the symbol's 253rd row on
        case
            when coalesce(seeds.rows_before, 0) + windowed.input_row_number > 252
                then windowed.input_high_252
        end as high_52w_prior
    from windowed
    left join seeds
        on windowed.symbol = seeds.symbol
    where not windowed.is_context
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
        coalesce(prior_close_session.date, prior_extremes.seed_close_date)
            as prior_record_close_date,
        coalesce(prior_high_session.date, prior_extremes.seed_high_date)
            as prior_record_high_date,
        -- max(close) up to and including this row (close is never NULL here)
        greatest(prior_extremes.close, prior_extremes.prior_record_close) as record_close,
        coalesce(record_session.date, prior_extremes.seed_close_date) as record_close_date,
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
        coalesce(record_dates.close > record_dates.high_52w_prior, false) as is_high_52w,
        greatest(record_dates.high, record_dates.prior_record_high) as record_high,
        case
            when coalesce(record_dates.high > record_dates.prior_record_high, true)
                then record_dates.date
            else record_dates.prior_record_high_date
        end as record_high_date,
        record_dates.observation_number
    from record_dates
    left join sessions as today
        on record_dates.date = today.date
    left join sessions as record_day
        on record_dates.record_close_date = record_day.date
)

select * from final
