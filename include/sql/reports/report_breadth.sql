-- Each basket's breadth over the last two years: the share of its members above
-- their 50- and 200-session averages (by count and by weight), for the breadth chart.
with

latest as (
    select max(basket_breadth.date) as last_date
    from marts.breadth as basket_breadth
),

final as (
    select
        basket_breadth.basket,
        basket_breadth.date,
        basket_breadth.members,
        basket_breadth.pct_above_sma50,
        basket_breadth.pct_above_sma200,
        basket_breadth.pct_above_sma200_cap_weighted
    from marts.breadth as basket_breadth
    cross join latest
    where basket_breadth.date > latest.last_date - interval 2 year
)

select * from final
order by basket, date
