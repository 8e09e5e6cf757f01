-- Checks of each holdings file as the basket marts use it, one row per file and check
-- (the columns of marts.data_quality; dataset universe_members, session = the file's
-- as-of date, severity warning). What fails is left out of the marts, never guessed:
--   member_without_weight  rows without a weight (left out of every basket mart);
--   weights_total          the weights add up to 95-105% (else the whole file is left
--                          out: a truncated or garbled file would give wrong shares);
--   member_without_prices  members with no price in the lake (not counted in breadth).
-- (Named to sort after stg_universe_members and stg_prices_daily, which it reads.)
with

files as (
    select
        stg_universe_members.basket,
        stg_universe_members.as_of,
        max(stg_universe_members.run_id) as run_id,
        count(*) filter (where stg_universe_members.weight is null) as without_weight,
        list(stg_universe_members.symbol order by stg_universe_members.symbol) filter (
            where stg_universe_members.weight is null
        ) as symbols_without_weight,
        100 * coalesce(sum(stg_universe_members.weight), 0) as weight_total
    from staging.stg_universe_members
    group by stg_universe_members.basket, stg_universe_members.as_of
),

member_symbols as (
    select distinct stg_universe_members.symbol
    from staging.stg_universe_members
),

priced as (
    select distinct stg_prices_daily.symbol
    from staging.stg_prices_daily
    where stg_prices_daily.symbol in (select member_symbols.symbol from member_symbols)
),

unpriced as (
    select
        stg_universe_members.basket,
        stg_universe_members.as_of,
        count(*) as members,
        list(stg_universe_members.symbol order by stg_universe_members.symbol) as symbols
    from staging.stg_universe_members
    anti join priced
        on stg_universe_members.symbol = priced.symbol
    where stg_universe_members.weight is not null
    group by stg_universe_members.basket, stg_universe_members.as_of
),

checks as (
    select
        files.basket,
        files.as_of,
        files.run_id,
        'member_without_weight' as check_name,
        files.without_weight as unexpected_count,
        case
            when files.without_weight > 0
                then cast(json_object(
                    'basket', files.basket, 'symbols', files.symbols_without_weight[1:10]
                ) as varchar)
        end as detail
    from files
    union all
    select
        files.basket,
        files.as_of,
        files.run_id,
        'weights_total' as check_name,
        case when round(files.weight_total, 6) between 95 and 105 then 0 else 1 end
            as unexpected_count,
        cast(json_object(
            'basket', files.basket, 'weight_total_pct', round(files.weight_total, 4)
        ) as varchar) as detail
    from files
    union all
    select
        files.basket,
        files.as_of,
        files.run_id,
        'member_without_prices' as check_name,
        coalesce(unpriced.members, 0) as unexpected_count,
        case
            when unpriced.members > 0
                then cast(json_object(
                    'basket', files.basket, 'symbols', unpriced.symbols[1:10]
                ) as varchar)
        end as detail
    from files
    left join unpriced
        on files.basket = unpriced.basket and files.as_of = unpriced.as_of
),

final as (
    select
        'universe_members' as dataset,
        checks.run_id,
        checks.as_of as session,
        checks.check_name as "check",
        'warning' as severity,
        checks.unexpected_count = 0 as success,
        checks.unexpected_count,
        checks.detail
    from checks
)

select * from final
