-- Point-in-time valuation of a small basket against a large one, per session.
-- Members on a date: an ETF's latest holdings file on or before it (IWM, IVV), or a
-- basket of the universe file (MAG7, equal weights). A company (CIK) counts once, its
-- share classes' weights added (GOOG + GOOGL). Fundamentals: the company's TTM figures
-- as known from its last filing on or before the date (ASOF join on the filed date).
-- Market cap = close x shares outstanding on one split basis: Yahoo's close is
-- adjusted for every split since, so the share count is multiplied by every split
-- after its own date. Aggregates use covered members only (price and TTM net income
-- known); coverage is their share of basket weight, and a date below the configured
-- coverage is flagged (is_complete) and kept out of the z-score's history.
with

settings as (
    select * from staging.stg_valuation_settings
),

baskets as (
    select small_basket as basket from staging.stg_valuation_pairs
    union
    select large_basket from staging.stg_valuation_pairs
),

holdings_files as (
    select distinct
        members.basket,
        members.as_of
    from staging.stg_universe_members as members
    where members.basket in (select baskets.basket from baskets)
),

sessions as (
    select stg_sessions.date
    from staging.stg_sessions
    where
        stg_sessions.date >= (select min(holdings_files.as_of) as first_as_of from holdings_files)
        and stg_sessions.date <= (
            select max(stg_prices_daily.date) as last_date from staging.stg_prices_daily
        )
),

file_of_session as (
    select
        basket_sessions.date,
        holdings_files.basket,
        holdings_files.as_of
    from (
        select
            sessions.date,
            held.basket
        from sessions cross join (select distinct holdings_files.basket from holdings_files) as held
    ) as basket_sessions
    asof join holdings_files
        on
            basket_sessions.basket = holdings_files.basket
            and basket_sessions.date >= holdings_files.as_of
),

members as (
    select
        file_of_session.date,
        file_of_session.basket,
        held.symbol,
        held.weight
    from file_of_session
    inner join staging.stg_universe_members as held
        on file_of_session.basket = held.basket and file_of_session.as_of = held.as_of
    union all
    select
        sessions.date,
        configured.basket,
        configured.symbol,
        1.0 / count(*) over (partition by sessions.date, configured.basket) as weight
    from sessions
    cross join staging.stg_basket_members as configured
    where configured.basket in (select baskets.basket from baskets)
),

-- the closes of the sessions valued only (not every price since the first listing)
session_prices as (
    select
        stg_prices_daily.symbol,
        stg_prices_daily.date,
        stg_prices_daily.close
    from staging.stg_prices_daily
    where stg_prices_daily.date >= (select min(sessions.date) as first_date from sessions)
),

priced as (
    select
        members.*,
        companies.cik,
        session_prices.close
    from members
    left join staging.stg_sec_companies as companies on members.symbol = companies.symbol
    left join session_prices
        on members.symbol = session_prices.symbol and members.date = session_prices.date
),

with_fundamentals as (
    select
        priced.*,
        ttm.net_income,
        ttm.operating_income,
        ttm.interest_expense,
        ttm.shares_outstanding,
        ttm.shares_as_of
    from priced
    asof left join staging.stg_earnings_ttm as ttm
        on priced.cik = ttm.cik and priced.date >= ttm.known_from
),

split_basis as (
    select
        with_fundamentals.*,
        coalesce(later_splits.factor_from_here, 1.0) as split_factor
    from with_fundamentals
    asof left join staging.stg_splits as later_splits
        on
            with_fundamentals.symbol = later_splits.symbol
            and with_fundamentals.shares_as_of < later_splits.date
),

companies as (
    select
        split_basis.date,
        split_basis.basket,
        coalesce(cast(split_basis.cik as varchar), split_basis.symbol) as company,
        sum(split_basis.weight) as weight,
        arg_max(
            split_basis.close * split_basis.shares_outstanding * split_basis.split_factor,
            split_basis.weight
        ) as market_cap,
        any_value(split_basis.net_income) as net_income,
        any_value(split_basis.operating_income) as operating_income,
        any_value(split_basis.interest_expense) as interest_expense
    from split_basis
    group by all
),

covered as (
    select
        companies.*,
        companies.market_cap is not null and companies.net_income is not null as is_covered
    from companies
),

basket_values as (
    select
        covered.date,
        covered.basket,
        count(*) as members,
        count(*) filter (where covered.is_covered) as members_covered,
        sum(covered.weight) filter (where covered.is_covered) / sum(covered.weight) as coverage,
        sum(covered.market_cap) filter (where covered.is_covered) as market_cap,
        sum(covered.net_income) filter (where covered.is_covered) as net_income,
        sum(covered.market_cap) filter (where covered.is_covered and covered.net_income > 0)
            as market_cap_profitable,
        sum(covered.net_income) filter (where covered.is_covered and covered.net_income > 0)
            as net_income_profitable,
        count(*) filter (where covered.is_covered and covered.net_income < 0)
            as members_unprofitable,
        sum(covered.interest_expense) filter (
            where covered.is_covered
            and covered.interest_expense is not null
            and covered.operating_income is not null
        ) as interest_expense,
        sum(covered.operating_income) filter (
            where covered.is_covered
            and covered.interest_expense is not null
            and covered.operating_income is not null
        ) as operating_income
    from covered
    group by all
),

-- The median P/E of the profitable covered members, as median() computes it (the middle
-- value, or lo * 0.5 + hi * 0.5 of the two middle ones), from one sort of each date's and
-- basket's values: median() as an aggregate keeps every group's values in memory at once
-- (over 25 years of holdings files, 16 million member-days: about 10 GB and 6 minutes).
ranked_pe as (
    select
        covered.date,
        covered.basket,
        covered.market_cap / covered.net_income as pe,
        row_number() over by_pe - 1 as pe_position,
        count(*) over (by_pe rows between unbounded preceding and unbounded following) as pe_count
    from covered
    where covered.is_covered and covered.net_income > 0
    window by_pe as (
        partition by covered.date, covered.basket
        order by covered.market_cap / covered.net_income
    )
),

pe_medians as (
    select
        ranked_pe.date,
        ranked_pe.basket,
        min(ranked_pe.pe) * 0.5 + max(ranked_pe.pe) * 0.5 as pe_median
    from ranked_pe
    where ranked_pe.pe_position in ((ranked_pe.pe_count - 1) // 2, ranked_pe.pe_count // 2)
    group by ranked_pe.date, ranked_pe.basket
),

ratios as (
    select
        basket_values.date,
        basket_values.basket,
        basket_values.members,
        basket_values.members_covered,
        coalesce(basket_values.coverage, 0) as coverage,
        case
            when basket_values.net_income > 0
                then basket_values.market_cap / basket_values.net_income
        end as pe,
        basket_values.market_cap_profitable / basket_values.net_income_profitable as pe_ex_losses,
        pe_medians.pe_median,
        basket_values.net_income / basket_values.market_cap as earnings_yield,
        basket_values.members_unprofitable
        / nullif(basket_values.members_covered, 0) as unprofitable_share,
        case
            when basket_values.operating_income > 0
                then basket_values.interest_expense / basket_values.operating_income
        end as interest_burden
    from basket_values
    left join pe_medians
        on basket_values.date = pe_medians.date and basket_values.basket = pe_medians.basket
),

pairs as (
    select
        small_ratios.date,
        valuation_pairs.small_basket,
        valuation_pairs.large_basket,
        small_ratios.pe as pe_small,
        large_ratios.pe as pe_large,
        small_ratios.pe_ex_losses as pe_ex_losses_small,
        large_ratios.pe_ex_losses as pe_ex_losses_large,
        small_ratios.pe_median as pe_median_small,
        large_ratios.pe_median as pe_median_large,
        small_ratios.earnings_yield as earnings_yield_small,
        large_ratios.earnings_yield as earnings_yield_large,
        (small_ratios.earnings_yield - large_ratios.earnings_yield) * 100 as earnings_yield_spread,
        small_ratios.unprofitable_share as unprofitable_share_small,
        large_ratios.unprofitable_share as unprofitable_share_large,
        small_ratios.interest_burden as interest_burden_small,
        large_ratios.interest_burden as interest_burden_large,
        small_ratios.coverage as coverage_small,
        large_ratios.coverage as coverage_large,
        small_ratios.members as members_small,
        large_ratios.members as members_large,
        small_ratios.members_covered as members_covered_small,
        large_ratios.members_covered as members_covered_large,
        small_ratios.coverage >= settings.min_coverage
        and large_ratios.coverage >= settings.min_coverage
        and small_ratios.earnings_yield is not null
        and large_ratios.earnings_yield is not null as is_complete
    from staging.stg_valuation_pairs as valuation_pairs
    cross join settings
    inner join ratios as small_ratios on valuation_pairs.small_basket = small_ratios.basket
    inner join ratios as large_ratios
        on
            valuation_pairs.large_basket = large_ratios.basket
            and small_ratios.date = large_ratios.date
),

-- Expanding history of complete dates only, up to and including each date.
history as (
    select
        pairs.*,
        count(pairs.earnings_yield_spread) filter (where pairs.is_complete)
            over to_date
            as spread_observations,
        avg(pairs.earnings_yield_spread) filter (where pairs.is_complete)
            over to_date
            as spread_mean,
        stddev_samp(pairs.earnings_yield_spread) filter (where pairs.is_complete)
            over to_date
            as spread_stddev
    from pairs
    window to_date as (
        partition by pairs.small_basket, pairs.large_basket order by pairs.date
        rows between unbounded preceding and current row
    )
),

final as (
    select
        history.date,
        history.small_basket,
        history.large_basket,
        history.pe_small,
        history.pe_large,
        history.pe_ex_losses_small,
        history.pe_ex_losses_large,
        history.earnings_yield_spread,
        case
            when history.is_complete and history.spread_observations >= settings.zscore_min_history
                then
                    (history.earnings_yield_spread - history.spread_mean)
                    / nullif(history.spread_stddev, 0)
        end as spread_zscore,
        history.unprofitable_share_small,
        history.unprofitable_share_large,
        history.interest_burden_small,
        history.interest_burden_large,
        history.pe_median_small,
        history.pe_median_large,
        history.earnings_yield_small,
        history.earnings_yield_large,
        history.coverage_small,
        history.coverage_large,
        history.members_small,
        history.members_large,
        history.members_covered_small,
        history.members_covered_large,
        history.is_complete,
        history.spread_observations
    from history
    cross join settings
)

select * from final
order by small_basket, large_basket, date
