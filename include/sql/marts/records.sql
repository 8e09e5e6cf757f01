-- Record closes and highs per symbol and date, on Yahoo's split-adjusted close
-- and high (not adj_close: a record is a price the market printed).
--
-- The rows come from staging.stg_records_input: a symbol's whole history in a full
-- build; in an incremental build, the new rows of an extended symbol after its last
-- published rows (is_context: read by the trailing windows, not output), continuing
-- the running records of staging.stg_records_seed.
--
-- One window pass with bounded frames only (no running frame, whose cost depends on
-- how an engine shares work between frames): the highest close and high of the
-- previous 252 rows. The record before a row, the highest of every earlier row, is the
-- highest of that, of the record before the row's block of 252 rows, and of the
-- seed's: at a block's first row the trailing frame is exactly the previous block, so
-- a running max over the blocks' first rows (one row in 252) carries every earlier
-- block. Context rows are at most the seed's record, so they change no maximum.
-- The dates of the records need no second pass: a record-setting session is one whose
-- close (high) is above every earlier one, or the symbol's first session, so
-- record-setting closes strictly increase within a symbol and a running record (one
-- of the closes, or the seed's) names its session by an equality join on (symbol,
-- value) to the few record-setting sessions, or else is the seed's.
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

windowed as not materialized (
    select
        prices.*,
        row_number() over by_date - 1 as row_index,
        first_value(prices.date) over by_date as input_first_date,
        max(prices.close) over last_252_rows as close_252,
        max(prices.high) over last_252_rows as high_252
    from prices
    window
        by_date as (partition by prices.symbol order by prices.date),
        last_252_rows as (by_date rows between 252 preceding and 1 preceding)
),

-- per block of 252 rows (a row in 252): the record before it, the seed's included, and
-- the seed's other facts, so that the rows meet the seed in this small join
block_records as (
    select
        blocks.symbol,
        blocks.block,
        greatest(seeds.record_close, blocks.close_before) as close_before,
        greatest(seeds.record_high, blocks.high_before) as high_before,
        seeds.record_close_date as seed_close_date,
        seeds.record_high_date as seed_high_date,
        seeds.record_basis_start as seed_basis_start,
        coalesce(seeds.rows_before, 0) as rows_before
    from (
        select
            windowed.symbol,
            windowed.row_index // 252 as block,
            max(windowed.close_252) over earlier_blocks as close_before,
            max(windowed.high_252) over earlier_blocks as high_before
        from windowed
        where windowed.row_index % 252 = 0
        window
            earlier_blocks as (
                partition by windowed.symbol
                order by windowed.row_index
                rows between unbounded preceding and current row
            )
    ) as blocks
    left join seeds
        on blocks.symbol = seeds.symbol
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
        windowed.is_context,
        -- greatest ignores NULL: NULL on a symbol's first row only
        greatest(block_records.close_before, windowed.close_252) as prior_record_close,
        greatest(block_records.high_before, windowed.high_252) as prior_record_high,
        block_records.seed_close_date,
        block_records.seed_high_date,
        -- the first session of the history the records are counted on
        coalesce(block_records.seed_basis_start, windowed.input_first_date)
            as record_basis_start,
        block_records.rows_before + windowed.row_index + 1 as observation_number,
        -- 252 earlier rows in the frame from the symbol's 253rd row on
        case
            when block_records.rows_before + windowed.row_index >= 252
                then windowed.close_252
        end as high_52w_prior
    from windowed
    inner join block_records
        on
            windowed.symbol = block_records.symbol
            and windowed.row_index // 252 = block_records.block
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
    -- context rows are never record sessions (the seed's record is at least theirs)
    where not record_dates.is_context
)

select * from final
