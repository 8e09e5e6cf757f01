-- What the basket marts were built from, besides prices: each holdings file (its
-- member count, weight total and run) and each basket of the universe file (its
-- symbols). The next build compares it with the lake (since.sql).
create or replace temp table holdings_now as
select
    stg_universe_members.basket,
    stg_universe_members.as_of,
    count(*) as members,
    sum(stg_universe_members.weight) as weight_total,
    max(stg_universe_members.run_id) as run_id
from staging.stg_universe_members
group by stg_universe_members.basket, stg_universe_members.as_of
union all
select
    stg_basket_members.basket,
    null as as_of,
    count(*) as members,
    null as weight_total,
    string_agg(stg_basket_members.symbol, ',' order by stg_basket_members.symbol) as run_id
from staging.stg_basket_members
group by stg_basket_members.basket;
