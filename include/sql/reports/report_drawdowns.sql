-- Each subject's latest drawdown from its record close, its 52-week low and high,
-- and its records in the calendar year of that date (marts.record_counts). A subject
-- of marts.records without a record that year counts 0; a basket (MAG7, not in
-- marts.records) has no counts.
with

latest as (
    select drawdowns.*
    from marts.drawdowns as drawdowns
    qualify row_number() over (partition by drawdowns.subject order by drawdowns.date desc) = 1
),

counted_symbols as (
    select distinct record_counts.symbol
    from marts.record_counts as record_counts
),

final as (
    select
        latest.subject,
        latest.date,
        latest.close,
        latest.record_close,
        latest.drawdown_pct,
        latest.high_52w,
        latest.high_52w_date,
        latest.low_52w,
        latest.low_52w_date,
        latest.rebound_from_low_52w_pct,
        year(latest.date) as record_year,
        case
            when counted_symbols.symbol is not null then coalesce(record_counts.record_closes, 0)
        end as record_closes,
        case
            when counted_symbols.symbol is not null then coalesce(record_counts.record_highs, 0)
        end as record_highs,
        case
            when
                counted_symbols.symbol is not null
                then coalesce(record_counts.tested_and_failed, 0)
        end as tested_and_failed,
        record_counts.last_record_date
    from latest
    left join counted_symbols on latest.subject = counted_symbols.symbol
    left join marts.record_counts as record_counts
        on
            latest.subject = record_counts.symbol
            and year(latest.date) = record_counts.year
)

select * from final
order by subject
