-- What marts/records.sql computes in an incremental build, from the plan (plan.sql)
-- and the new rows read from the lake (temp table changed, typed and de-duplicated by
-- staging.stg_prices_daily): the whole history of each recomputed symbol, the rows of
-- each extended symbol after its last published row, those symbols' seeds and, as
-- context (is_context), their last 252 published rows (the longest trailing window of
-- marts.records).
create or replace temp table records_input as
select
    changed.symbol,
    changed.date,
    changed.open,
    changed.high,
    changed.low,
    changed.close,
    changed.adj_close,
    changed.volume,
    false as is_context
from changed
inner join plan
    on changed.symbol = plan.symbol
where
    changed.close is not null
    and changed.high is not null
    and (
        plan.step = 'recompute'
        or (plan.step = 'extend' and changed.date > plan.last_date)
    );

create or replace temp table records_seed as
select
    seeds.symbol,
    seeds.record_close,
    seeds.record_close_date,
    seeds.record_high,
    seeds.record_high_date,
    seeds.record_basis_start,
    greatest(seeds.row_count - 252, 0) as rows_before
from seeds
where seeds.symbol in (
    select records_input.symbol
    from records_input
    inner join plan
        on records_input.symbol = plan.symbol
    where plan.step = 'extend'
);

insert into records_input
select
    records.symbol,
    records.date,
    records.open,
    records.high,
    records.low,
    records.close,
    records.adj_close,
    records.volume,
    true as is_context
from core.records as records
inner join records_seed
    on records.symbol = records_seed.symbol
where records.observation_number > records_seed.rows_before;

create or replace view staging.stg_records_input as
select
    records_input.symbol,
    records_input.date,
    records_input.open,
    records_input.high,
    records_input.low,
    records_input.close,
    records_input.adj_close,
    records_input.volume,
    records_input.is_context
from temp.main.records_input as records_input;

create or replace view staging.stg_records_seed as
select
    records_seed.symbol,
    records_seed.record_close,
    records_seed.record_close_date,
    records_seed.record_high,
    records_seed.record_high_date,
    records_seed.record_basis_start,
    records_seed.rows_before
from temp.main.records_seed as records_seed;
