-- Traded above the record close but closed at or below it: a failed breakout.
-- Only the universe file's own symbols (not basket constituents) raise this signal.
with

failed_breakouts as (
    select records.* from marts.records
    inner join staging.stg_tracked_symbols as tracked on records.symbol = tracked.symbol
    where records.is_tested_and_failed
),

final as (
    select
        failed_breakouts.date,
        'tested_and_failed' as rule,
        failed_breakouts.symbol as subject,
        failed_breakouts.high as value,
        failed_breakouts.prior_record_close as threshold,
        format(
            '{} traded at {:,.2f}, above its record close of {:,.2f} ({}), '
            || 'but closed at {:,.2f}: tested and failed ({})',
            failed_breakouts.symbol,
            failed_breakouts.high,
            failed_breakouts.prior_record_close,
            failed_breakouts.prior_record_close_date,
            failed_breakouts.close,
            failed_breakouts.date
        ) as message
    from failed_breakouts
)

select * from final
