-- The latest breadth of each basket: members above their averages, advances and
-- declines, the McClellan oscillator.
select
    basket_breadth.basket,
    basket_breadth.date,
    basket_breadth.members,
    basket_breadth.pct_above_sma50,
    basket_breadth.pct_above_sma200,
    basket_breadth.pct_above_sma200_cap_weighted,
    basket_breadth.advances,
    basket_breadth.declines,
    basket_breadth.mcclellan_oscillator
from marts.breadth as basket_breadth
qualify
    row_number() over (partition by basket_breadth.basket order by basket_breadth.date desc) = 1
order by basket_breadth.basket
