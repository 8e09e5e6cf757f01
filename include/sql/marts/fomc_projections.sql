-- The Summary of Economic Projections' Table 1 as published, for BI tools and the
-- morning report (which read marts only, never the lake): one row per SEP meeting,
-- variable and target year.
with

projections as (
    select * from staging.stg_fomc_projections
),

final as (
    select
        projections.meeting_date,
        projections.variable,  -- noqa: RF04
        projections.target_year,
        projections.median,
        projections.central_tendency_low,
        projections.central_tendency_high,
        projections.range_low,
        projections.range_high,
        projections.url
    from projections
)

select * from final
order by meeting_date, variable, target_year
