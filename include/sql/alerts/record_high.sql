-- An intraday high above every earlier high of the symbol (the close may stay
-- below the record close, as ^RUT's did on 2024-11-25).
-- Only the universe file's own symbols (not basket constituents) raise this signal.
with

record_highs as (
    select records.* from marts.records
    inner join staging.stg_tracked_symbols as tracked on records.symbol = tracked.symbol
    where records.is_record_high
),

final as (
    select
        record_highs.date,
        'record_high' as rule,
        record_highs.symbol as subject,
        record_highs.high as value,
        record_highs.prior_record_high as threshold,
        format(
            '{} traded at a record high of {:,.2f} on {}, '
            || 'above the prior record high of {:,.2f} ({}), and closed at {:,.2f}{}',
            record_highs.symbol,
            record_highs.high,
            record_highs.date,
            record_highs.prior_record_high,
            record_highs.prior_record_high_date,
            record_highs.close,
            case
                when record_highs.is_record_close then ', a record close'
                else format(
                    ', below the record close of {:,.2f} ({})',
                    record_highs.prior_record_close,
                    record_highs.prior_record_close_date
                )
            end
        ) as message
    from record_highs
)

select * from final
