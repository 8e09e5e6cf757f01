-- Symbol (Yahoo spelling) to SEC CIK, from SEC's company_tickers.json. Share classes
-- of one company (GOOG, GOOGL) map to one CIK; a symbol listed under two CIKs is
-- ambiguous and left out (its member counts as without fundamentals).
with

lake_companies as (
    select * from lake.sec_companies
),

final as (
    select
        cast(lake_companies.symbol as varchar) as symbol,
        cast(min(lake_companies.cik) as bigint) as cik
    from lake_companies
    group by lake_companies.symbol
    having count(distinct lake_companies.cik) = 1
)

select * from final
