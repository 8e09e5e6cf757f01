-- The plan of an incremental build (rotation_radar.warehouse.incremental), from the
-- published records (core.records), the symbols each was built from
-- (core.build_state) and the lake's symbol files now (temp table lake_symbols).
--
-- seeds: each symbol's last published row, which its new rows continue.
create or replace temp table seeds as
with

last_rows as (
    select
        core_records.symbol,
        max(core_records.observation_number) as row_count
    from core.records as core_records
    group by core_records.symbol
)

select
    records.symbol,
    records.date as last_date,
    records.record_close,
    records.record_close_date,
    records.record_high,
    records.record_high_date,
    records.record_basis_start,
    records.observation_number as row_count
from core.records as records
inner join last_rows
    on
        records.symbol = last_rows.symbol
        and records.observation_number = last_rows.row_count;

-- plan: per symbol, `extend` (its file changed only by appending since the build),
-- `recompute` (new, or its stored rows restated) or `removed` (no file any more).
create or replace temp table plan as
select
    coalesce(files.symbol, state.symbol) as symbol,
    files.file_path,
    files.last_date as file_last_date,
    seeds.last_date,
    case
        when files.symbol is null then 'removed'
        when
            seeds.symbol is null
            or state.symbol is null
            or coalesce(files.restated_by, '') <> coalesce(state.restated_by, '')
            then 'recompute'
        else 'extend'
    end as step
from lake_symbols as files
full outer join core.build_state as state
    on files.symbol = state.symbol
left join seeds
    on coalesce(files.symbol, state.symbol) = seeds.symbol;
