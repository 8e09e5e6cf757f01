-- The record breakouts of one symbol (variable symbol): the markers of
-- the report's record chart.
with

final as (
    select
        signals.date,
        signals.rule,
        signals.value,
        signals.threshold,
        signals.message
    from marts.breakout_signals as signals
    where
        signals.subject = getvariable('symbol')
        and signals.rule in ('record_close', 'record_high', 'tested_and_failed')
)

select * from final
order by date, rule
