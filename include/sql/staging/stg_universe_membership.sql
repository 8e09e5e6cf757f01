-- Who was in each basket on each NYSE session, point in time: an ETF's members are
-- those of its latest holdings file on or before the session (IWM, IVV), so a member
-- that left stays in the sessions it belonged to; a basket of the universe file
-- (MAG7) holds its symbols on every session, in equal weights. Weights are fractions
-- of the holdings file's total. Left out, each with a data_quality record
-- (stg_holdings_quality): a holdings row without a weight, and every row of a file
-- whose weights do not add up to 95-105% (a truncated or garbled file).
-- (Named to sort after stg_universe_members, which it reads: staging views are
-- created in file-name order.)
with

holdings as (
    select
        stg_universe_members.basket,
        stg_universe_members.as_of,
        stg_universe_members.symbol,
        stg_universe_members.weight,
        stg_universe_members.sector,
        sum(stg_universe_members.weight) over (
            partition by stg_universe_members.basket, stg_universe_members.as_of
        ) as weight_total
    from staging.stg_universe_members
    where stg_universe_members.weight is not null
),

usable as (
    select
        holdings.basket,
        holdings.as_of,
        holdings.symbol,
        holdings.weight / holdings.weight_total as weight,
        holdings.sector
    from holdings
    where round(holdings.weight_total * 100, 6) between 95 and 105
),

-- every file, usable or not: a session served by a file left out has no members
holdings_files as (
    select distinct
        stg_universe_members.basket,
        stg_universe_members.as_of
    from staging.stg_universe_members
),

first_files as (
    select
        holdings_files.basket,
        min(holdings_files.as_of) as first_as_of
    from holdings_files
    group by holdings_files.basket
),

basket_sessions as (
    select
        first_files.basket,
        stg_sessions.date
    from staging.stg_sessions
    inner join first_files
        on stg_sessions.date >= first_files.first_as_of
),

file_of_session as (
    select
        basket_sessions.basket,
        basket_sessions.date,
        holdings_files.as_of
    from basket_sessions
    asof join holdings_files
        on
            basket_sessions.basket = holdings_files.basket
            and basket_sessions.date >= holdings_files.as_of
),

configured_symbols as (
    select distinct
        stg_basket_members.basket,
        stg_basket_members.symbol
    from staging.stg_basket_members
),

configured as (
    select
        configured_symbols.basket,
        configured_symbols.symbol,
        1.0 / count(*) over (partition by configured_symbols.basket) as weight
    from configured_symbols
),

final as (
    select
        file_of_session.basket,
        file_of_session.date,
        usable.symbol,
        usable.weight,
        usable.sector,
        file_of_session.as_of as holdings_as_of
    from file_of_session
    inner join usable
        on
            file_of_session.basket = usable.basket
            and file_of_session.as_of = usable.as_of
    union all
    select
        configured.basket,
        stg_sessions.date,
        configured.symbol,
        configured.weight,
        null as sector,
        null as holdings_as_of
    from staging.stg_sessions
    cross join configured
)

select * from final
