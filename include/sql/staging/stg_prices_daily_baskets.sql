-- Each basket as an equal-weight index rebalanced daily: 100 on the first session
-- on which every member has an adj_close, then
--   index_t = index_{t-1} * (1 + average of the members' adj_close returns),
-- on those complete sessions only (a member's return runs from the previous
-- complete session). The index is exposed as both close and adj_close so a
-- basket can be a pair leg like any symbol.
-- (Named to sort after stg_prices_daily, which it reads: staging views are
-- created in file-name order.)
with

members as (
    select distinct
        stg_basket_members.basket,
        stg_basket_members.symbol
    from staging.stg_basket_members
),

basket_sizes as (
    select
        members.basket,
        count(*) as member_count
    from members
    group by members.basket
),

member_prices as (
    select
        members.basket,
        prices.symbol,
        prices.date,
        prices.adj_close
    from members
    inner join staging.stg_prices_daily as prices
        on members.symbol = prices.symbol
    where prices.adj_close is not null
),

complete_sessions as (
    select
        member_prices.basket,
        member_prices.date
    from member_prices
    inner join basket_sizes
        on member_prices.basket = basket_sizes.basket
    group by member_prices.basket, member_prices.date, basket_sizes.member_count
    having count(*) = basket_sizes.member_count
),

member_returns as (
    select
        member_prices.basket,
        member_prices.date,
        member_prices.symbol,
        member_prices.adj_close / lag(member_prices.adj_close) over (
            partition by member_prices.basket, member_prices.symbol
            order by member_prices.date
        ) - 1 as member_return
    from member_prices
    inner join complete_sessions
        on
            member_prices.basket = complete_sessions.basket
            and member_prices.date = complete_sessions.date
),

basket_returns as (
    select
        member_returns.basket,
        member_returns.date,
        count(*) as member_count,
        -- NULL on the first complete session (no previous price)
        avg(member_returns.member_return) as daily_return
    from member_returns
    group by member_returns.basket, member_returns.date
),

indexed as (
    select
        basket_returns.basket,
        basket_returns.date,
        basket_returns.member_count,
        basket_returns.daily_return,
        100 * product(1 + coalesce(basket_returns.daily_return, 0)) over (
            partition by basket_returns.basket
            order by basket_returns.date
            rows between unbounded preceding and current row
        ) as index_level
    from basket_returns
),

final as (
    select
        indexed.basket,
        indexed.date,
        indexed.index_level as close,
        indexed.index_level as adj_close,
        indexed.daily_return,
        indexed.member_count
    from indexed
)

select * from final
