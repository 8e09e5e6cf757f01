-- Treasury constant-maturity yields (FRED DGS2, DGS10) in percent; NULL when the
-- bond market was closed.
with

lake_yields as (
    select * from lake.treasury_yields
),

final as (
    select
        cast(lake_yields.date as date) as date,
        lake_yields.series,
        lake_yields.value as yield_pct
    from lake_yields
)

select * from final
