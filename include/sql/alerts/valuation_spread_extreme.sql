-- A pair's earnings-yield spread (small minus large, percentage points) moves to an
-- extreme: its z-score against the pair's own history reaches the configured
-- threshold in absolute value, from below it on the previous complete date. Only
-- complete dates (coverage at or above the configured minimum) have a z-score.
with

settings as (
    select * from staging.stg_valuation_settings
),

observations as (
    select
        valuation_spread.*,
        lag(valuation_spread.spread_zscore) over by_date as previous_zscore
    from marts.valuation_spread
    where valuation_spread.spread_zscore is not null
    window by_date as (
        partition by valuation_spread.small_basket, valuation_spread.large_basket
        order by valuation_spread.date
    )
),

extremes as (
    select
        observations.*,
        settings.zscore_threshold
    from observations
    cross join settings
    where
        abs(observations.spread_zscore) >= settings.zscore_threshold
        and (
            observations.previous_zscore is null
            or abs(observations.previous_zscore) < settings.zscore_threshold
        )
),

final as (
    select
        extremes.date,
        'valuation_spread_extreme' as rule,
        extremes.small_basket || '/' || extremes.large_basket as subject,
        extremes.spread_zscore as value,
        extremes.zscore_threshold as threshold,
        format(
            '{} vs {} on {}: earnings-yield spread {:+.2f} pp, '
            || 'z-score {:+.2f} (threshold {:.1f}): '
            || 'small caps {} (P/E {} vs {}; ex-losses {} vs {}); '
            || 'coverage {:.0f}% / {:.0f}%',
            extremes.small_basket,
            extremes.large_basket,
            extremes.date,
            extremes.earnings_yield_spread,
            extremes.spread_zscore,
            extremes.zscore_threshold,
            case
                when extremes.spread_zscore > 0 then 'unusually cheap'
                else 'unusually expensive'
            end,
            coalesce(format('{:.1f}', extremes.pe_small), 'n/a (net loss)'),
            coalesce(format('{:.1f}', extremes.pe_large), 'n/a (net loss)'),
            coalesce(format('{:.1f}', extremes.pe_ex_losses_small), 'n/a'),
            coalesce(format('{:.1f}', extremes.pe_ex_losses_large), 'n/a'),
            extremes.coverage_small * 100,
            extremes.coverage_large * 100
        ) as message
    from extremes
)

select * from final
