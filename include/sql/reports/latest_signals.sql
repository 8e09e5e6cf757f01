-- Breakout signals of the last five sessions in the warehouse.
with recent_dates as (
    select distinct date from marts.breakout_signals order by date desc limit 5
),

final as (
    select signals.*
    from marts.breakout_signals as signals
    inner join recent_dates using (date)
)

select * from final order by date desc, rule, subject
