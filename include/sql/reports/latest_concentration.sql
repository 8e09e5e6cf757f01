-- The latest concentration of each ETF (its last holdings file).
select
    concentration.basket,
    concentration.date,
    concentration.members,
    concentration.top10_weight,
    concentration.mag7_weight,
    concentration.effective_constituents
from marts.concentration as concentration
qualify
    row_number() over (partition by concentration.basket order by concentration.date desc) = 1
order by concentration.basket
