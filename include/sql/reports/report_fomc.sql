-- Every FOMC decision, to mark on the time axis of the charts.
with

final as (
    select
        decisions.statement_date,
        decisions.action,
        decisions.change_bps,
        decisions.target_low,
        decisions.target_high,
        decisions.votes_against_count
    from marts.fomc_decisions as decisions
)

select * from final
order by statement_date
