-- The FOMC event study summarised (marts.fomc_event_summary): per decision, surprise,
-- horizon and leg pair, the events, mean and median excess return of small over large
-- caps and the 90% bootstrap interval of the mean. Surprises in reading order: every
-- decision pooled first, then hawkish, dovish, none and unknown.
with

final as (
    select
        event_summary.action,
        event_summary.surprise,
        event_summary.horizon_sessions,
        event_summary.small_symbol,
        event_summary.large_symbol,
        event_summary.events,
        event_summary.mean_excess_return,
        event_summary.median_excess_return,
        event_summary.mean_ci90_low,
        event_summary.mean_ci90_high
    from marts.fomc_event_summary as event_summary
)

select * from final
order by
    action,
    list_position(['all', 'hawkish', 'dovish', 'none', 'unknown'], surprise) nulls last,
    horizon_sessions,
    small_symbol
