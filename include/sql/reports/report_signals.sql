-- The breakout signals of the last N sessions (variable sessions), each
-- with its alert log rows (one per channel it was logged on; none when it
-- was never alerted).
with

recent_sessions as (
    select distinct records.date
    from marts.records as records
    order by records.date desc
    limit getvariable('sessions')
),

signals as (
    select
        breakout_signals.date,
        breakout_signals.rule,
        breakout_signals.subject,
        breakout_signals.value,
        breakout_signals.threshold,
        breakout_signals.message
    from marts.breakout_signals as breakout_signals
    inner join recent_sessions on breakout_signals.date = recent_sessions.date
),

final as (
    select
        signals.*,
        alert_log.channel,
        alert_log.severity,
        alert_log.status,
        alert_log.attempts,
        alert_log.error
    from signals
    left join marts.alert_log as alert_log
        on
            signals.rule = alert_log.rule
            and signals.subject = alert_log.subject
            and signals.date = cast(alert_log.session_date as date)
)

select * from final
order by date desc, rule asc, subject asc, channel asc
