-- Drawdown from the record close and distance from the 52-week low and high, per subject
-- and date. Subjects: the universe file's symbols (staging.stg_tracked_symbols), on
-- marts.records' split-adjusted close and record close; and each basket of the universe
-- file (MAG7) as its equal-weight index (staging.stg_prices_daily_baskets), whose record
-- close is the running maximum of the index.
--
-- 52 weeks = the subject's last 252 rows including this one (fewer during its first 251
-- rows: rows_in_window says how many). Ties: low_52w_date and high_52w_date are the
-- latest date of the window reaching the low (high).
with

symbol_closes as (
    select
        records.symbol as subject,
        'symbol' as kind,
        records.date,
        records.close,
        records.record_close
    from marts.records as records
    inner join staging.stg_tracked_symbols as tracked
        on records.symbol = tracked.symbol
),

basket_closes as (
    select
        baskets.basket as subject,
        'basket' as kind,
        baskets.date,
        baskets.close,
        max(baskets.close) over (
            partition by baskets.basket
            order by baskets.date
            rows between unbounded preceding and current row
        ) as record_close
    from staging.stg_prices_daily_baskets as baskets
),

closes as (
    select
        subjects.*,
        row_number() over (partition by subjects.subject order by subjects.date) as row_index
    from (
        select * from symbol_closes
        union all
        select * from basket_closes
    ) as subjects
),

-- struct extremes pick the tie: the highest close, then the latest date; the lowest
-- close, then the latest row (-row_index)
windowed as (
    select
        closes.*,
        count(*) over last_252_rows as rows_in_window,
        max({ 'close': closes.close, 'date': closes.date }) over last_252_rows as high_52w_at,
        min(
            {
                'close': closes.close,
                'later_first': -closes.row_index,
                'date': closes.date
            }
        ) over last_252_rows as low_52w_at
    from closes
    window last_252_rows as (
        partition by closes.subject
        order by closes.date
        rows between 251 preceding and current row
    )
),

final as (
    select
        windowed.subject,
        windowed.kind,
        windowed.date,
        windowed.close,
        windowed.record_close,
        (windowed.close / windowed.record_close - 1) * 100 as drawdown_pct,
        windowed.low_52w_at.close as low_52w,
        windowed.low_52w_at.date as low_52w_date,
        (windowed.close / windowed.low_52w_at.close - 1) * 100 as rebound_from_low_52w_pct,
        windowed.high_52w_at.close as high_52w,
        windowed.high_52w_at.date as high_52w_date,
        (windowed.close / windowed.high_52w_at.close - 1) * 100 as pct_from_high_52w,
        windowed.rows_in_window
    from windowed
)

select * from final
order by subject, date
