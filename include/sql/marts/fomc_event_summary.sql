-- The event study in one table: per decision (cut, hike, hold), market surprise and
-- horizon, the count, mean and median excess return of small over large caps
-- (marts.fomc_event_returns, both leg pairs), and a 90% bootstrap confidence
-- interval of the mean: 1,000 resamples of the group's events with replacement, the
-- 5th and 95th percentiles of their means. The resampling is fixed (a hash of the
-- seed 20250917, the group, the resample and the draw picks each event), so a build
-- gives the same interval every time. Surprise: the 2-year Treasury yield's change
-- on the statement day, hawkish (up), dovish (down), none (unchanged) or unknown (no
-- yield that day); `all` pools them.
with

events as (
    select
        fomc_event_returns.action,
        coalesce(fomc_event_returns.surprise, 'unknown') as surprise,
        fomc_event_returns.horizon_sessions,
        fomc_event_returns.small_symbol,
        fomc_event_returns.large_symbol,
        fomc_event_returns.excess_return
    from marts.fomc_event_returns
    where fomc_event_returns.excess_return is not null
),

grouped as (
    select * from events
    union all
    select
        events.action,
        'all' as surprise,
        events.horizon_sessions,
        events.small_symbol,
        events.large_symbol,
        events.excess_return
    from events
),

numbered as (
    select
        grouped.*,
        row_number() over by_group - 1 as event_index
    from grouped
    window by_group as (
        partition by
            grouped.action,
            grouped.surprise,
            grouped.horizon_sessions,
            grouped.small_symbol,
            grouped.large_symbol
        order by grouped.excess_return
    )
),

groups as (
    select
        numbered.action,
        numbered.surprise,
        numbered.horizon_sessions,
        numbered.small_symbol,
        numbered.large_symbol,
        count(*) as events,
        avg(numbered.excess_return) as mean_excess_return,
        median(numbered.excess_return) as median_excess_return
    from numbered
    group by all
),

draws as (
    select
        groups.action,
        groups.surprise,
        groups.horizon_sessions,
        groups.small_symbol,
        groups.large_symbol,
        resamples.resample,
        hash(
            20250917,
            groups.action,
            groups.surprise,
            groups.horizon_sessions,
            groups.small_symbol,
            resamples.resample,
            picks.pick
        ) % groups.events as event_index
    from groups
    cross join range(1000) as resamples (resample)
    inner join range(1000) as picks (pick)
        on groups.events > picks.pick
),

resampled as (
    select
        draws.action,
        draws.surprise,
        draws.horizon_sessions,
        draws.small_symbol,
        draws.large_symbol,
        draws.resample,
        avg(numbered.excess_return) as resample_mean
    from draws
    inner join numbered
        on
            draws.action = numbered.action
            and draws.surprise = numbered.surprise
            and draws.horizon_sessions = numbered.horizon_sessions
            and draws.small_symbol = numbered.small_symbol
            and draws.large_symbol = numbered.large_symbol
            and draws.event_index = numbered.event_index
    group by all
),

intervals as (
    select
        resampled.action,
        resampled.surprise,
        resampled.horizon_sessions,
        resampled.small_symbol,
        resampled.large_symbol,
        quantile_cont(resampled.resample_mean, 0.05) as mean_ci90_low,
        quantile_cont(resampled.resample_mean, 0.95) as mean_ci90_high
    from resampled
    group by all
),

final as (
    select
        groups.action,
        groups.surprise,
        groups.horizon_sessions,
        groups.small_symbol,
        groups.large_symbol,
        groups.events,
        groups.mean_excess_return,
        groups.median_excess_return,
        intervals.mean_ci90_low,
        intervals.mean_ci90_high
    from groups
    left join intervals
        on
            groups.action = intervals.action
            and groups.surprise = intervals.surprise
            and groups.horizon_sessions = intervals.horizon_sessions
            and groups.small_symbol = intervals.small_symbol
            and groups.large_symbol = intervals.large_symbol
)

select * from final
order by action, surprise, horizon_sessions, small_symbol
