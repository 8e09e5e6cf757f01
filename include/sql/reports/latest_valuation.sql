-- The latest valuation spread of each basket pair, with its coverage.
select
    valuation_spread.date,
    valuation_spread.small_basket,
    valuation_spread.large_basket,
    valuation_spread.pe_small,
    valuation_spread.pe_large,
    valuation_spread.pe_ex_losses_small,
    valuation_spread.pe_ex_losses_large,
    valuation_spread.earnings_yield_spread,
    valuation_spread.spread_zscore,
    valuation_spread.coverage_small,
    valuation_spread.coverage_large,
    valuation_spread.is_complete
from marts.valuation_spread
qualify
    row_number() over (
        partition by valuation_spread.small_basket, valuation_spread.large_basket
        order by valuation_spread.date desc
    ) = 1
order by valuation_spread.small_basket, valuation_spread.large_basket
