-- Validation results, one row per dataset, run, session and check.
with

lake_results as (
    select * from lake.data_quality
),

final as (
    select
        cast(lake_results.dataset as varchar) as dataset,
        cast(lake_results.run_id as varchar) as run_id,
        cast(lake_results.session as date) as session,
        cast(lake_results."check" as varchar) as "check",
        cast(lake_results.severity as varchar) as severity,
        cast(lake_results.success as boolean) as success,
        cast(lake_results.unexpected_count as bigint) as unexpected_count,
        cast(lake_results.detail as varchar) as detail
    from lake_results
)

select * from final
