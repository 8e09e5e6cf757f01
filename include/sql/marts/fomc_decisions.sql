-- One row per FOMC statement: the decision, the new range, the votes and dissents,
-- and the sentences added and removed against the previous statement.
with

statements as (
    select * from staging.stg_fomc_statements
),

diffs as (
    select * from staging.stg_fomc_diffs
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
        statements.version
    from statements
    left join diffs
        on statements.statement_date = diffs.statement_date
)

select * from final
order by statement_date
