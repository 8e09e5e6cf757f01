-- Is the move broad? Per basket and session: the members' counts of
-- marts.sector_breadth added over sectors, the shares above the 50- and 200-row
-- averages (a member counts in a share only once it has that many rows), the
-- advance/decline line, and the recursive averages of the breadth studies:
-- ad_ratio_ema10, the 10-session exponential average (alpha 2/11) of advances /
-- (advances + declines), which the breadth thrust reads (Zweig), and the McClellan
-- oscillator (19- minus 39-session exponential averages, alpha 0.1 and 0.05, of the
-- ratio-adjusted net advances (advances - declines) / (advances + declines)) with its
-- running sum, the summation index. Each average starts at its first value. A session
-- on which no member advanced or declined counts as neutral (ad_ratio 0.5, net
-- advances 0). A session with no member priced has no row (stg_holdings_quality).
with recursive

daily as (
    select
        sector_breadth.basket,
        sector_breadth.date,
        any_value(sector_breadth.holdings_as_of) as holdings_as_of,
        sum(sector_breadth.members_held) as members_held,
        sum(sector_breadth.members) as members,
        sum(sector_breadth.members_sma50) as members_sma50,
        sum(sector_breadth.above_sma50) as above_sma50,
        sum(sector_breadth.members_sma200) as members_sma200,
        sum(sector_breadth.above_sma200) as above_sma200,
        sum(sector_breadth.weight_sma200) as weight_sma200,
        sum(sector_breadth.weight_above_sma200) as weight_above_sma200,
        sum(sector_breadth.new_highs_52w) as new_highs_52w,
        sum(sector_breadth.new_lows_52w) as new_lows_52w,
        sum(sector_breadth.advances) as advances,
        sum(sector_breadth.declines) as declines,
        sum(sector_breadth.unchanged) as unchanged
    from marts.sector_breadth
    group by sector_breadth.basket, sector_breadth.date
    having sum(sector_breadth.members) > 0
),

numbered as (
    select
        daily.*,
        daily.advances / nullif(daily.advances + daily.declines, 0) as ad_ratio,
        (daily.advances - daily.declines) / nullif(daily.advances + daily.declines, 0)
            as net_advances_ratio,
        row_number() over (partition by daily.basket order by daily.date) as session_number
    from daily
),

-- one step per session and basket: e_t = alpha * x_t + (1 - alpha) * e_(t-1)
averages (basket, session_number, ad_ratio_ema10, ema19, ema39) as (
    select
        numbered.basket,
        numbered.session_number,
        coalesce(numbered.ad_ratio, 0.5),
        coalesce(numbered.net_advances_ratio, 0),
        coalesce(numbered.net_advances_ratio, 0)
    from numbered
    where numbered.session_number = 1
    union all
    select
        numbered.basket,
        numbered.session_number,
        2 / 11 * coalesce(numbered.ad_ratio, 0.5) + 9 / 11 * averages.ad_ratio_ema10,
        0.1 * coalesce(numbered.net_advances_ratio, 0) + 0.9 * averages.ema19,
        0.05 * coalesce(numbered.net_advances_ratio, 0) + 0.95 * averages.ema39
    from averages
    inner join numbered
        on
            averages.basket = numbered.basket
            and numbered.session_number = averages.session_number + 1
),

final as (
    select
        numbered.basket,
        numbered.date,
        numbered.holdings_as_of,
        numbered.members_held,
        numbered.members,
        100.0 * numbered.above_sma50 / nullif(numbered.members_sma50, 0) as pct_above_sma50,
        100.0 * numbered.above_sma200 / nullif(numbered.members_sma200, 0) as pct_above_sma200,
        100.0 * numbered.weight_above_sma200 / nullif(numbered.weight_sma200, 0)
            as pct_above_sma200_cap_weighted,
        numbered.members_sma50,
        numbered.members_sma200,
        numbered.new_highs_52w,
        numbered.new_lows_52w,
        numbered.advances,
        numbered.declines,
        numbered.unchanged,
        sum(numbered.advances - numbered.declines) over (
            partition by numbered.basket
            order by numbered.date
            rows between unbounded preceding and current row
        ) as ad_line,
        numbered.ad_ratio,
        averages.ad_ratio_ema10,
        numbered.net_advances_ratio,
        averages.ema19 - averages.ema39 as mcclellan_oscillator,
        sum(averages.ema19 - averages.ema39) over (
            partition by numbered.basket
            order by numbered.date
            rows between unbounded preceding and current row
        ) as mcclellan_summation,
        numbered.session_number
    from numbered
    inner join averages
        on
            numbered.basket = averages.basket
            and numbered.session_number = averages.session_number
)

select * from final
