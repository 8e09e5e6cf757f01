-- The dot plot of each SEP: how many participants put the federal funds rate at each
-- target-rate midpoint, per target year ('2025', ..., or 'longer_run'). A rerun of a
-- meeting replaces its file; should a key appear twice, the latest ingestion wins.
with

lake_dots as (
    select * from lake.fomc_dots
),

final as (
    select
        cast(lake_dots.meeting_date as date) as meeting_date,
        cast(lake_dots.target_year as varchar) as target_year,
        cast(lake_dots.midpoint as double) as midpoint,
        cast(lake_dots.participants as bigint) as participants
    from lake_dots
    qualify row_number() over (
        partition by lake_dots.meeting_date, lake_dots.target_year, lake_dots.midpoint
        order by lake_dots.ingested_at desc
    ) = 1
)

select * from final
