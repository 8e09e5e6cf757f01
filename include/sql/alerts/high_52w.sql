-- A close above every close of the previous 252 sessions (52 weeks).
-- Only the universe file's own symbols (not basket constituents) raise this signal.
with

new_highs as (
    select records.* from marts.records
    inner join staging.stg_tracked_symbols as tracked on records.symbol = tracked.symbol
    where records.is_high_52w
),

final as (
    select
        new_highs.date,
        'high_52w' as rule,
        new_highs.symbol as subject,
        new_highs.close as value,
        new_highs.high_52w_prior as threshold,
        format(
            '{} closed at {:,.2f} on {}, a 52-week closing high above {:,.2f}, '
            || 'the highest close of the previous 252 sessions',
            new_highs.symbol,
            new_highs.close,
            new_highs.date,
            new_highs.high_52w_prior
        ) as message
    from new_highs
)

select * from final
