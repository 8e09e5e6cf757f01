-- A relative rotation graph, computed from each date's past only: a later session
-- changes no earlier row (normalising over the whole sample, as some tools do, moves
-- past points when a day is added). Series: each pair of the universe file (its ratio
-- in marts.relative_strength), and each sector of IWM with at least 5 members in the
-- holdings file of the session against IWM (a sector index chained from the members'
-- adjusted-close returns, weighted by the holdings file's weights and rebalanced
-- daily, 100 on its first session, divided by IWM's adjusted close).
--   rs_ratio    = 100 + z-score of the ratio within its last 63 observations;
--   rs_momentum = 100 + z-score, within its last 63 observations, of the 10-observation
--                 rate of change of rs_ratio, 100 * (rs_ratio / rs_ratio 10 earlier - 1).
-- Each needs its full window (NULL before; 63 + 10 + 62 observations for momentum).
-- Quadrants: leading (both >= 100), weakening (ratio >= 100, momentum < 100),
-- lagging (both < 100), improving (ratio < 100, momentum >= 100).
with

pair_series as (
    select
        relative_strength.pair,
        'pair' as kind,
        relative_strength.date,
        relative_strength.numerator,
        relative_strength.denominator,
        relative_strength.ratio
    from marts.relative_strength
),

sector_returns as (
    select
        sector_breadth.sector,
        sector_breadth.date,
        sector_breadth.weighted_return / nullif(sector_breadth.weight_with_return, 0)
            as daily_return,
        row_number() over (
            partition by sector_breadth.sector order by sector_breadth.date
        ) as session_number
    from marts.sector_breadth
    where
        sector_breadth.basket = 'IWM'
        and sector_breadth.sector is not null
        and sector_breadth.members_held >= 5
),

-- 100 on the sector's first session (its return then runs from before the index)
sector_indices as (
    select
        sector_returns.sector,
        sector_returns.date,
        100 * coalesce(product(
            case when sector_returns.session_number > 1 then 1 + sector_returns.daily_return end
        ) over (
            partition by sector_returns.sector
            order by sector_returns.date
            rows between unbounded preceding and current row
        ), 1) as sector_index
    from sector_returns
),

sector_series as (
    select
        'IWM:' || sector_indices.sector || '/IWM' as pair,
        'sector' as kind,
        sector_indices.date,
        'IWM:' || sector_indices.sector as numerator,
        'IWM' as denominator,
        sector_indices.sector_index / iwm.adj_close as ratio
    from sector_indices
    inner join staging.stg_prices_daily as iwm
        on iwm.symbol = 'IWM' and sector_indices.date = iwm.date
    where iwm.adj_close > 0
),

series as (
    select * from pair_series
    union all
    select * from sector_series
),

ratios as (
    select
        series.*,
        count(series.ratio) over last_63 as ratio_count,
        (series.ratio - avg(series.ratio) over last_63)
        / nullif(stddev_pop(series.ratio) over last_63, 0) as ratio_zscore
    from series
    window
        last_63 as (
            partition by series.pair order by series.date rows between 62 preceding and current row
        )
),

ratio_scores as (
    select
        ratios.*,
        case when ratios.ratio_count = 63 then 100 + ratios.ratio_zscore end as rs_ratio
    from ratios
),

rate_of_change as (
    select
        ratio_scores.*,
        100 * (ratio_scores.rs_ratio / lag(ratio_scores.rs_ratio, 10) over (
            partition by ratio_scores.pair order by ratio_scores.date
        ) - 1) as rs_ratio_roc10
    from ratio_scores
),

momentum as (
    select
        rate_of_change.*,
        count(rate_of_change.rs_ratio_roc10) over last_63 as roc_count,
        (rate_of_change.rs_ratio_roc10 - avg(rate_of_change.rs_ratio_roc10) over last_63)
        / nullif(stddev_pop(rate_of_change.rs_ratio_roc10) over last_63, 0) as roc_zscore
    from rate_of_change
    window
        last_63 as (
            partition by rate_of_change.pair
            order by rate_of_change.date
            rows between 62 preceding and current row
        )
),

quadrants as (
    select
        momentum.*,
        case when momentum.roc_count = 63 then 100 + momentum.roc_zscore end as rs_momentum
    from momentum
),

placed as (
    select
        quadrants.*,
        case
            when quadrants.rs_ratio is null or quadrants.rs_momentum is null then null
            when quadrants.rs_ratio >= 100 and quadrants.rs_momentum >= 100 then 'leading'
            when quadrants.rs_ratio >= 100 then 'weakening'
            when quadrants.rs_momentum < 100 then 'lagging'
            else 'improving'
        end as quadrant
    from quadrants
),

final as (
    select
        placed.pair,
        placed.kind,
        placed.date,
        placed.numerator,
        placed.denominator,
        placed.ratio,
        placed.rs_ratio,
        placed.rs_ratio_roc10,
        placed.rs_momentum,
        placed.quadrant,
        lag(placed.quadrant) over (partition by placed.pair order by placed.date)
            as previous_quadrant
    from placed
)

select * from final
