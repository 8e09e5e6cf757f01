-- The federal funds target range per calendar day (FRED DFEDTARL / DFEDTARU, percent).
with

lake_target as (
    select * from lake.fed_funds_target
),

final as (
    select
        cast(lake_target.date as date) as date,
        lake_target.lower as target_low,
        lake_target.upper as target_high
    from lake_target
)

select * from final
