-- Point-in-time fundamentals per company (CIK): trailing-twelve-month figures and the
-- latest share count as known from each filing date (known_from) until the next.
with

lake_ttm as (
    select * from lake.earnings_ttm
),

final as (
    select
        cast(lake_ttm.cik as bigint) as cik,
        cast(lake_ttm.known_from as date) as known_from,
        lake_ttm.net_income,
        lake_ttm.eps_diluted,
        lake_ttm.revenue,
        lake_ttm.operating_income,
        lake_ttm.interest_expense,
        lake_ttm.shares_outstanding,
        cast(lake_ttm.shares_as_of as date) as shares_as_of
    from lake_ttm
)

select * from final
