-- The first and last price date of the lake, as an incremental build knows them: the
-- new rows read and the seeds of the symbols extended.
with

spans as (
    select
        min(changed.date) as first_date,
        max(changed.date) as last_date
    from changed
    where
        changed.symbol in (
            select plan.symbol from plan
            where plan.step <> 'removed'
        )
    union all
    select
        min(seeds.record_basis_start) as first_date,
        max(seeds.last_date) as last_date
    from seeds
    where seeds.symbol in (
        select plan.symbol from plan
        where plan.step = 'extend'
    )
),

final as (
    select
        min(spans.first_date) as first_date,
        max(spans.last_date) as last_date
    from spans
)

select * from final
