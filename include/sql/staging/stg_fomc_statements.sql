-- FOMC statements as parsed from the Fed's pages, one row per statement (latest version).
with

lake_statements as (
    select * from lake.fomc_statements
),

final as (
    select
        cast(lake_statements.statement_date as date) as statement_date,
        lake_statements.url,
        lake_statements.title,
        lake_statements.text,
        lake_statements.action,
        cast(lake_statements.change_bps as integer) as change_bps,
        lake_statements.target_low,
        lake_statements.target_high,
        lake_statements.votes_for,
        cast(lake_statements.votes_for_count as integer) as votes_for_count,
        cast(lake_statements.votes_against_count as integer) as votes_against_count,
        lake_statements.dissents,
        cast(lake_statements.version as integer) as version
    from lake_statements
)

select * from final
