-- The pair's ratio crosses above its 200-session average: at or below it on the
-- previous observation, above it on this one. Ratios are shown with 4 decimals
-- (they are often below 1).
with

observations as (
    select
        relative_strength.pair,
        relative_strength.date,
        relative_strength.ratio,
        relative_strength.ratio_sma200,
        relative_strength.mansfield_rs,
        lag(relative_strength.ratio) over by_date as previous_ratio,
        lag(relative_strength.ratio_sma200) over by_date as previous_ratio_sma200
    from marts.relative_strength
    window by_date as (partition by relative_strength.pair order by relative_strength.date)
),

crosses as (
    select observations.* from observations
    where
        observations.previous_ratio <= observations.previous_ratio_sma200
        and observations.ratio > observations.ratio_sma200
),

final as (
    select
        crosses.date,
        'rs_cross_above_sma200' as rule,
        crosses.pair as subject,
        crosses.ratio as value,
        crosses.ratio_sma200 as threshold,
        format(
            '{} ratio crossed above its 200-session average on {}: '
            || '{:,.4f} vs {:,.4f} (Mansfield RS {:,.2f}), '
            || 'from {:,.4f} vs {:,.4f} the session before',
            crosses.pair,
            crosses.date,
            crosses.ratio,
            crosses.ratio_sma200,
            crosses.mansfield_rs,
            crosses.previous_ratio,
            crosses.previous_ratio_sma200
        ) as message
    from crosses
)

select * from final
