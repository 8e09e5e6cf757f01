-- Every alert key (rule, subject, session_date, channel) with its latest outcome: the
-- lake's log keeps one row per delivery attempt outcome; delivered or suppressed is
-- final, failed is retried by the next run.
with

attempts as (
    select
        alert_log.*,
        count(*) over by_key as outcomes,
        row_number() over (
            by_key order by
                case alert_log.status when 'delivered' then 0 when 'suppressed' then 1 else 2 end,
                alert_log.delivered_at desc
        ) as rank_in_key
    from lake.alert_log
    window by_key as (
        partition by alert_log.rule, alert_log.subject, alert_log.session_date, alert_log.channel
    )
),

final as (
    select
        attempts.rule,
        attempts.subject,
        cast(attempts.session_date as date) as session_date,
        attempts.channel,
        attempts.severity,
        attempts.value,
        attempts.threshold,
        attempts.message,
        attempts.status,
        attempts.error,
        attempts.attempts,
        attempts.outcomes,
        attempts.delivered_at,
        attempts.idempotency_key,
        attempts.run_id
    from attempts
    where attempts.rank_in_key = 1
)

select * from final
order by session_date, rule, subject, channel
