-- One symbol's closes against its running record close
-- (variable symbol, e.g. ^RUT).
with

final as (
    select
        records.date,
        records.close,
        records.high,
        records.record_close,
        records.prior_record_close,
        records.pct_from_record,
        records.is_record_close,
        records.is_record_high,
        records.is_tested_and_failed
    from marts.records as records
    where records.symbol = getvariable('symbol')
)

select * from final
order by date
