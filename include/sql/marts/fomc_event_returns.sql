-- For each FOMC decision: small- and large-cap returns over +1, +5, +20 and +60
-- sessions from the close of the statement day (the last session on or before it,
-- so a weekend emergency cut is measured from the Friday close), and the excess
-- return. A horizon not reached yet is NULL, never a partial number. The decision's
-- market surprise (marts.fomc_decisions: the 2-year yield's change that day, the shift
-- of this year's median dot) rides along, to split the study by surprise.
with

decisions as (
    select
        statement_date,
        action,
        change_bps
    from staging.stg_fomc_statements
),

horizons as (
    select unnest([1, 5, 20, 60]) as horizon_sessions
),

legs as (
    select
        leg_pairs.small_symbol,
        leg_pairs.large_symbol,
        leg_pairs.price_column
    from (
        values
        ('^RUT', '^GSPC', 'close'),
        ('IWM', 'SPY', 'adj_close')
    ) as leg_pairs (small_symbol, large_symbol, price_column)
),

-- the legs' prices only (joined four times below)
prices as (
    select
        stg_prices_daily.symbol,
        stg_sessions.session_index,
        stg_prices_daily.close,
        stg_prices_daily.adj_close
    from staging.stg_prices_daily
    inner join staging.stg_sessions
        on stg_prices_daily.date = stg_sessions.date
    where stg_prices_daily.symbol in (
        select legs.small_symbol from legs
        union
        select legs.large_symbol from legs
    )
),

base_sessions as (
    select
        decisions.statement_date,
        max(stg_sessions.session_index) as base_index
    from decisions
    inner join staging.stg_sessions
        on decisions.statement_date >= stg_sessions.date
    group by decisions.statement_date
),

windows as (
    select
        decisions.statement_date,
        decisions.action,
        decisions.change_bps,
        horizons.horizon_sessions,
        legs.small_symbol,
        legs.large_symbol,
        legs.price_column,
        base_sessions.base_index,
        base_sessions.base_index + horizons.horizon_sessions as end_index
    from decisions
    inner join base_sessions on decisions.statement_date = base_sessions.statement_date
    cross join horizons
    cross join legs
),

leg_returns as (
    select
        windows.*,
        case windows.price_column when 'close' then small_end.close else small_end.adj_close end
        / case windows.price_column when 'close' then small_base.close else small_base.adj_close end
        - 1 as small_return,
        case windows.price_column when 'close' then large_end.close else large_end.adj_close end
        / case windows.price_column when 'close' then large_base.close else large_base.adj_close end
        - 1 as large_return
    from windows
    left join prices as small_base
        on
            windows.small_symbol = small_base.symbol
            and windows.base_index = small_base.session_index
    left join prices as small_end
        on windows.small_symbol = small_end.symbol and windows.end_index = small_end.session_index
    left join prices as large_base
        on
            windows.large_symbol = large_base.symbol
            and windows.base_index = large_base.session_index
    left join prices as large_end
        on windows.large_symbol = large_end.symbol and windows.end_index = large_end.session_index
),

final as (
    select
        leg_returns.statement_date,
        leg_returns.action,
        leg_returns.change_bps,
        leg_returns.horizon_sessions,
        leg_returns.small_symbol,
        leg_returns.large_symbol,
        leg_returns.small_return,
        leg_returns.large_return,
        leg_returns.small_return - leg_returns.large_return as excess_return,
        fomc_decisions.yield_2y_change_bp,
        fomc_decisions.surprise,
        fomc_decisions.dots_shift_bp
    from leg_returns
    left join marts.fomc_decisions
        on leg_returns.statement_date = fomc_decisions.statement_date
)

select * from final
order by statement_date, small_symbol, horizon_sessions
