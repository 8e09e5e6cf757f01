-- A breadth thrust (Zweig): a basket's 10-session exponential average of advances /
-- (advances + declines) rises above 0.615 from below 0.40 within 10 sessions. Fires on
-- the session it crosses above 0.615, when one of the 10 sessions before it was below
-- 0.40: a market going from oversold to broadly bought in two weeks.
with

observations as (
    select
        breadth.basket,
        breadth.date,
        breadth.members,
        breadth.advances,
        breadth.declines,
        breadth.ad_ratio_ema10,
        lag(breadth.ad_ratio_ema10) over by_date as previous_ema10,
        min(breadth.ad_ratio_ema10) over (
            by_date rows between 10 preceding and 1 preceding
        ) as low_ema10,
        arg_min(breadth.date, breadth.ad_ratio_ema10) over (
            by_date rows between 10 preceding and 1 preceding
        ) as low_date
    from marts.breadth
    window by_date as (partition by breadth.basket order by breadth.date)
),

thrusts as (
    select observations.* from observations
    where
        observations.ad_ratio_ema10 > 0.615
        and observations.previous_ema10 <= 0.615
        and observations.low_ema10 < 0.40
),

final as (
    select
        thrusts.date,
        'breadth_thrust' as rule,
        thrusts.basket as subject,
        thrusts.ad_ratio_ema10 as value,
        0.615 as threshold,
        format(
            '{} breadth thrust on {}: the 10-session average of advances / (advances + '
            || 'declines) rose to {:.3f}, above 0.615, from {:.3f} on {} (below 0.40); '
            || '{} of {} members advanced, {} declined',
            thrusts.basket,
            thrusts.date,
            thrusts.ad_ratio_ema10,
            thrusts.low_ema10,
            thrusts.low_date,
            thrusts.advances,
            thrusts.members,
            thrusts.declines
        ) as message
    from thrusts
)

select * from final
