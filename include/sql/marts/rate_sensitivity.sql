-- Per pair and NYSE session: the rolling 63-session beta (and correlation) of the
-- ratio's daily returns to daily changes in the 2-year Treasury yield, in percentage
-- points. A session without a yield observation (bond market closed) contributes
-- no observation; the beta is NULL until 40 observations are in the window.
with

ratios as (
    select
        relative_strength.pair,
        relative_strength.date,
        relative_strength.ratio
        / lag(relative_strength.ratio)
            over (
                partition by relative_strength.pair order by relative_strength.date
            )
        - 1 as ratio_return
    from marts.relative_strength
),

two_year as (
    select
        stg_treasury_yields.date,
        stg_treasury_yields.yield_pct
    from staging.stg_treasury_yields
    where stg_treasury_yields.series = 'DGS2'
),

yield_changes as (
    select
        stg_sessions.date,
        two_year.yield_pct
        - lag(two_year.yield_pct) over (order by stg_sessions.date) as yield_change_pp
    from staging.stg_sessions
    left join two_year on stg_sessions.date = two_year.date
),

observations as (
    select
        ratios.pair,
        ratios.date,
        ratios.ratio_return,
        yield_changes.yield_change_pp
    from ratios
    inner join yield_changes on ratios.date = yield_changes.date
),

windowed as (
    select
        observations.*,
        regr_slope(observations.ratio_return, observations.yield_change_pp)
            over last_63
            as beta,
        corr(observations.ratio_return, observations.yield_change_pp)
            over last_63
            as rolling_correlation,
        regr_count(observations.ratio_return, observations.yield_change_pp)
            over last_63
            as observations_63
    from observations
    window last_63 as (
        partition by observations.pair order by observations.date
        rows between 62 preceding and current row
    )
),

final as (
    select
        pair,
        date,
        case when observations_63 >= 40 then beta end as beta_2y_63,
        case when observations_63 >= 40 then rolling_correlation end as correlation_2y_63,
        observations_63,
        ratio_return,
        yield_change_pp
    from windowed
)

select * from final
order by pair, date
