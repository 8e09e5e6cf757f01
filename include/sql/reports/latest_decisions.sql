-- The three latest FOMC decisions and the sentences that changed.
with

final as (
    select
        statement_date,
        action,
        change_bps,
        target_low,
        target_high,
        votes_against_count,
        sentences_added,
        sentences_removed
    from marts.fomc_decisions
    order by statement_date desc
    limit 3
)

select * from final
order by statement_date desc
