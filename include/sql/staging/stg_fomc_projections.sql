-- The Summary of Economic Projections' Table 1, one row per meeting, variable and
-- target year ('2025', ..., or 'longer_run'): median, central tendency and range
-- (percent).
-- A rerun of a meeting replaces its file; should a key appear twice, the latest
-- ingestion wins.
with

lake_projections as (
    select * from lake.fomc_projections
),

final as (
    select
        cast(lake_projections.meeting_date as date) as meeting_date,
        cast(lake_projections.variable as varchar) as variable,  -- noqa: RF04
        cast(lake_projections.target_year as varchar) as target_year,
        cast(lake_projections.median as double) as median,
        cast(lake_projections.central_tendency_low as double) as central_tendency_low,
        cast(lake_projections.central_tendency_high as double) as central_tendency_high,
        cast(lake_projections.range_low as double) as range_low,
        cast(lake_projections.range_high as double) as range_high,
        cast(lake_projections.url as varchar) as url
    from lake_projections
    -- a cell Table 1 leaves empty (core PCE in the longer run) has no row
    where
        coalesce(
            lake_projections.median,
            lake_projections.central_tendency_low,
            lake_projections.central_tendency_high,
            lake_projections.range_low,
            lake_projections.range_high
        ) is not null
    qualify row_number() over (
        partition by
            lake_projections.meeting_date,
            lake_projections.variable,
            lake_projections.target_year
        order by lake_projections.ingested_at desc
    ) = 1
)

select * from final
