-- Validation results of every run, plus one 'quarantined_rows' check per price
-- run and session: how many rows that run sent to quarantine, and why; the checks of
-- each holdings file as the basket marts use it (stg_universe_quality), and per
-- holdings file, the sessions it served on which no member had a price
-- (basket_without_members: the breadth marts leave those sessions out).
with

results as (
    select
        stg_data_quality.dataset,
        stg_data_quality.run_id,
        stg_data_quality.session,
        stg_data_quality."check",
        stg_data_quality.severity,
        stg_data_quality.success,
        stg_data_quality.unexpected_count,
        stg_data_quality.detail
    from staging.stg_data_quality
),

quarantined as (
    select
        stg_quarantine.run_id,
        stg_quarantine.symbol,
        stg_quarantine.date,
        coalesce(stg_quarantine.reason, 'unknown') as reason
    from staging.stg_quarantine
),

quarantine_counts as (
    select
        quarantined.run_id,
        count(*) as quarantined_rows,
        max(quarantined.date) as last_date,
        list(distinct quarantined.symbol order by quarantined.symbol) as symbols
    from quarantined
    group by quarantined.run_id
),

-- a row can fail several checks: "prices_not_null; low_le_high"
reason_rows as (
    select
        quarantined.run_id,
        trim(unnest(string_split(quarantined.reason, ';'))) as reason
    from quarantined
),

reason_counts as (
    select
        reason_rows.run_id,
        reason_rows.reason,
        count(*) as row_count
    from reason_rows
    group by reason_rows.run_id, reason_rows.reason
),

top_reasons as (
    select
        reason_counts.run_id,
        list(
            { 'reason': reason_counts.reason, 'rows': reason_counts.row_count }
            order by reason_counts.row_count desc, reason_counts.reason asc
        )[1:5] as reasons
    from reason_counts
    group by reason_counts.run_id
),

price_runs as (
    select distinct
        results.dataset,
        results.run_id,
        results.session
    from results
    where results.dataset = 'prices_daily'
),

quarantine_checks as (
    select
        'prices_daily' as dataset,
        coalesce(price_runs.run_id, quarantine_counts.run_id) as run_id,
        coalesce(price_runs.session, quarantine_counts.last_date) as session,
        'quarantined_rows' as "check",
        'row' as severity,
        coalesce(quarantine_counts.quarantined_rows, 0) = 0 as success,
        coalesce(quarantine_counts.quarantined_rows, 0) as unexpected_count,
        case
            when quarantine_counts.quarantined_rows > 0
                then cast(json_object(
                    'top_reasons', top_reasons.reasons,
                    'symbols', quarantine_counts.symbols[1:10]
                ) as varchar)
        end as detail
    from price_runs
    full outer join quarantine_counts
        on price_runs.run_id = quarantine_counts.run_id
    left join top_reasons
        on quarantine_counts.run_id = top_reasons.run_id
),

empty_sessions as (
    select
        sector_breadth.basket,
        sector_breadth.holdings_as_of,
        sector_breadth.date
    from marts.sector_breadth
    where sector_breadth.holdings_as_of is not null
    group by all
    having sum(sector_breadth.members) = 0
),

members_checks as (
    select
        'universe_members' as dataset,
        any_value(files.run_id) as run_id,
        files.session,
        'basket_without_members' as "check",
        'warning' as severity,
        count(empty_sessions.date) = 0 as success,
        count(empty_sessions.date) as unexpected_count,
        case
            when count(empty_sessions.date) > 0
                then cast(json_object(
                    'basket', files.basket,
                    'sessions', list(empty_sessions.date order by empty_sessions.date)[1:10]
                ) as varchar)
        end as detail
    from (
        select distinct
            stg_universe_members.basket,
            stg_universe_members.as_of as session,
            stg_universe_members.run_id
        from staging.stg_universe_members
    ) as files
    left join empty_sessions
        on files.basket = empty_sessions.basket and files.session = empty_sessions.holdings_as_of
    group by files.basket, files.session
),

final as (
    select * from results
    union all by name
    select * from quarantine_checks
    union all by name
    select
        stg_universe_quality.dataset,
        stg_universe_quality.run_id,
        stg_universe_quality.session,
        stg_universe_quality."check",
        stg_universe_quality.severity,
        stg_universe_quality.success,
        stg_universe_quality.unexpected_count,
        stg_universe_quality.detail
    from staging.stg_universe_quality
    union all by name
    select * from members_checks
)

select * from final
