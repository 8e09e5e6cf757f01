-- One row per FOMC statement: the decision, the new range, the votes and dissents,
-- the sentences added and removed against the previous statement, and how far the
-- market was surprised: the 2-year Treasury yield's change from its last observation
-- before the statement day to the statement day (FRED DGS2, in bp), and on a meeting
-- with projections, the shift of this year's median dot against the previous SEP.
with

statements as (
    select * from staging.stg_fomc_statements
),

diffs as (
    select * from staging.stg_fomc_diffs
),

two_year as (
    select
        stg_treasury_yields.date,
        stg_treasury_yields.yield_pct
    from staging.stg_treasury_yields
    where stg_treasury_yields.series = 'DGS2' and stg_treasury_yields.yield_pct is not null
),

surprises as (
    select
        statements.statement_date,
        round((on_the_day.yield_pct - day_before.yield_pct) * 100, 1) as yield_2y_change_bp
    from statements
    left join two_year as on_the_day
        on statements.statement_date = on_the_day.date
    asof left join two_year as day_before
        on statements.statement_date > day_before.date
),

final as (
    select
        statements.statement_date,
        statements.action,
        statements.change_bps,
        statements.target_low,
        statements.target_high,
        statements.votes_for,
        statements.votes_for_count,
        statements.votes_against_count,
        statements.dissents,
        coalesce(diffs.sentences_added, []::varchar[]) as sentences_added,
        coalesce(diffs.sentences_removed, []::varchar[]) as sentences_removed,
        coalesce(diffs.redlines, []::varchar[]) as redlines,
        diffs.previous_statement_date,
        statements.url,
        statements.title,
        statements.version,
        surprises.yield_2y_change_bp,
        case
            when surprises.yield_2y_change_bp > 0 then 'hawkish'
            when surprises.yield_2y_change_bp < 0 then 'dovish'
            when surprises.yield_2y_change_bp = 0 then 'none'
        end as surprise,
        fed_path.median_this_year_change_bp as dots_shift_bp
    from statements
    left join diffs
        on statements.statement_date = diffs.statement_date
    left join surprises
        on statements.statement_date = surprises.statement_date
    left join marts.fed_path
        on statements.statement_date = fed_path.meeting_date
)

select * from final
order by statement_date
