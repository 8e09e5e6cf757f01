-- The first session an incremental build recomputes the basket marts from
-- (staging.stg_build_since): the first date of the new rows of marts.records, or of a
-- holdings file that is new, changed or gone. Everything (NULL) when a symbol was
-- recomputed or removed, or a basket of the universe file changed; no session
-- (9999-12-31) when nothing did.
create or replace table staging.stg_build_since as
with

changed_files as (
    select
        coalesce(now.basket, built.basket) as basket,
        coalesce(now.as_of, built.as_of) as as_of
    from temp.main.holdings_now as now
    full outer join core.build_holdings as built
        on now.basket = built.basket and now.as_of is not distinct from built.as_of
    where
        now.basket is null
        or built.basket is null
        or now.members <> built.members
        or coalesce(now.weight_total, 0) <> coalesce(built.weight_total, 0)
        or now.run_id <> built.run_id
),

starts as (
    select build_changes.since from core.build_changes
    union all
    select changed_files.as_of from changed_files
),

final as (
    select
        case
            when count(*) filter (where starts.since is null) = 0
                then coalesce(min(starts.since), date '9999-12-31')
        end as since
    from starts
)

select * from final;
