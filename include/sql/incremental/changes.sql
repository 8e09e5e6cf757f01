-- What an incremental build changed in marts.records, per symbol: since the first new
-- date of an extended symbol, everywhere (since NULL) for a recomputed or removed one.
-- The Parquet export rewrites only the partitions these touch.
create or replace table core.build_changes as
with

new_rows as (
    select
        records_input.symbol,
        min(records_input.date) as first_date
    from temp.main.records_input as records_input
    where not records_input.is_context
    group by records_input.symbol
),

final as (
    select
        plan.symbol,
        case when plan.step = 'extend' then new_rows.first_date end as since
    from plan
    left join new_rows
        on plan.symbol = new_rows.symbol
    where plan.step <> 'extend' or new_rows.first_date is not null
)

select * from final;
