-- The whole history of each basket pair's valuation spread: the report
-- computes the z-score bands over it (expanding window of complete dates,
-- as marts.valuation_spread does).
with

final as (
    select
        valuation_spread.date,
        valuation_spread.small_basket,
        valuation_spread.large_basket,
        valuation_spread.pe_small,
        valuation_spread.pe_large,
        valuation_spread.earnings_yield_spread,
        valuation_spread.spread_zscore,
        valuation_spread.coverage_small,
        valuation_spread.coverage_large,
        valuation_spread.is_complete
    from marts.valuation_spread as valuation_spread
)

select * from final
order by small_basket, large_basket, date
