-- Breadth of each basket's sectors per session, the member counts marts.breadth sums
-- over sectors and the sector returns marts.rotation chains into sector indices.
-- Members on a date: staging.stg_universe_membership (point in time). Each member's
-- facts of the day, on its adjusted close, over its own rows in marts.records (one per
-- session it traded): above its 50- and 200-row average (counted only from its 50th /
-- 200th row), a close above / below every close of its previous 252 rows (from its
-- 253rd row), an advance / decline against its previous row, its return since then.
-- A member without a price that session is not counted (members_held counts it).
--
-- Incremental: only sessions on or after staging.stg_build_since are computed (every
-- session when it is NULL); each member's rows start 252 rows before its first
-- computed session, so the trailing windows see what a full build sees.
with

since as (
    select stg_build_since.since from staging.stg_build_since
),

membership as (
    select stg_universe_membership.*
    from staging.stg_universe_membership
    where stg_universe_membership.date >= coalesce((select since.since from since), '-infinity')
),

member_start as (
    select
        membership.symbol,
        min(membership.date) as first_date
    from membership
    group by membership.symbol
),

first_rows as (
    select
        records.symbol,
        min(records.observation_number) as first_row
    from marts.records as records
    inner join member_start
        on records.symbol = member_start.symbol
    where records.date >= member_start.first_date
    group by records.symbol
),

member_rows as (
    select
        records.symbol,
        records.date,
        records.adj_close,
        records.observation_number
    from marts.records as records
    inner join first_rows
        on
            records.symbol = first_rows.symbol
            and records.observation_number > first_rows.first_row - 253
),

windowed as (
    select
        member_rows.symbol,
        member_rows.date,
        member_rows.adj_close,
        member_rows.observation_number,
        avg(member_rows.adj_close) over (by_row rows between 49 preceding and current row)
            as sma50,
        avg(member_rows.adj_close) over (by_row rows between 199 preceding and current row)
            as sma200,
        max(member_rows.adj_close) over last_252_rows as high_252,
        min(member_rows.adj_close) over last_252_rows as low_252,
        lag(member_rows.adj_close) over by_row as previous_adj_close
    from member_rows
    window
        by_row as (partition by member_rows.symbol order by member_rows.date),
        last_252_rows as (by_row rows between 252 preceding and 1 preceding)
),

member_days as (
    select
        windowed.symbol,
        windowed.date,
        windowed.observation_number >= 50 as has_sma50,
        windowed.observation_number >= 200 as has_sma200,
        windowed.adj_close > windowed.sma50 as above_sma50,
        windowed.adj_close > windowed.sma200 as above_sma200,
        windowed.observation_number > 252 and windowed.adj_close > windowed.high_252
            as new_high,
        windowed.observation_number > 252 and windowed.adj_close < windowed.low_252
            as new_low,
        windowed.adj_close / windowed.previous_adj_close - 1 as daily_return
    from windowed
    where windowed.adj_close is not null
),

held as (
    select
        membership.basket,
        membership.sector,
        membership.date,
        membership.holdings_as_of,
        membership.weight,
        member_days.*
    from membership
    left join member_days
        on membership.symbol = member_days.symbol and membership.date = member_days.date
),

final as (
    select
        held.basket,
        held.sector,
        held.date,
        any_value(held.holdings_as_of) as holdings_as_of,
        count(*) as members_held,
        count(held.symbol) as members,
        count(*) filter (where held.has_sma50) as members_sma50,
        count(*) filter (where held.has_sma50 and held.above_sma50) as above_sma50,
        count(*) filter (where held.has_sma200) as members_sma200,
        count(*) filter (where held.has_sma200 and held.above_sma200) as above_sma200,
        coalesce(sum(held.weight) filter (where held.has_sma200), 0) as weight_sma200,
        coalesce(sum(held.weight) filter (where held.has_sma200 and held.above_sma200), 0)
            as weight_above_sma200,
        count(*) filter (where held.new_high) as new_highs_52w,
        count(*) filter (where held.new_low) as new_lows_52w,
        count(*) filter (where held.daily_return > 0) as advances,
        count(*) filter (where held.daily_return < 0) as declines,
        count(*) filter (where held.daily_return = 0) as unchanged,
        coalesce(sum(held.weight) filter (where held.daily_return is not null), 0)
            as weight_with_return,
        coalesce(sum(held.weight * held.daily_return), 0) as weighted_return
    from held
    group by held.basket, held.sector, held.date
)

select * from final
