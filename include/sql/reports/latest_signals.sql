-- Breakout signals of the last five sessions in the warehouse.
with

recent_dates as (
    select distinct breakout_signals.date
    from marts.breakout_signals
    order by breakout_signals.date desc
    limit 5
),

final as (
    select
        signals.date,
        signals.rule,
        signals.subject,
        signals.value,
        signals.threshold,
        signals.message
    from marts.breakout_signals as signals
    inner join recent_dates on signals.date = recent_dates.date
)

select * from final
order by date desc, rule asc, subject asc
