-- A close above every earlier close of the symbol.
-- Only the universe file's own symbols (not basket constituents) raise this signal.
with

record_closes as (
    select records.* from marts.records
    inner join staging.stg_tracked_symbols as tracked on records.symbol = tracked.symbol
    where records.is_record_close
),

final as (
    select
        record_closes.date,
        'record_close' as rule,
        record_closes.symbol as subject,
        record_closes.close as value,
        record_closes.prior_record_close as threshold,
        format(
            '{} closed at a record {:,.2f} on {}, above the prior record close of {:,.2f} ({})',
            record_closes.symbol,
            record_closes.close,
            record_closes.date,
            record_closes.prior_record_close,
            record_closes.prior_record_close_date
        ) as message
    from record_closes
)

select * from final
