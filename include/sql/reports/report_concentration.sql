-- Each ETF's concentration per holdings file: the top-10 and MAG7 weights and the
-- effective number of constituents, for the concentration chart.
with

final as (
    select
        concentration.basket,
        concentration.date,
        concentration.members,
        concentration.top10_weight,
        concentration.mag7_weight,
        concentration.effective_constituents
    from marts.concentration as concentration
)

select * from final
order by basket, date
