-- Every FOMC cut or hike, and every hold with dissents: the decision, the new range,
-- the dissents, and the first edited sentences as word-level redlines.
with

decisions as (
    select * from marts.fomc_decisions
),

dissent_text as (
    select
        decisions.statement_date,
        string_agg(
            dissent_rows.dissent.name || ' preferred '
            || case
                when dissent_rows.dissent.preferred_action = 'hold' then 'no change'
                when dissent_rows.dissent.preferred_action = 'other' then 'a different action'
                else
                    'a ' || abs(dissent_rows.dissent.preferred_change_bps) || ' bp '
                    || dissent_rows.dissent.preferred_action
            end,
            '; '
        ) as dissents
    from decisions, unnest(decisions.dissents) as dissent_rows (dissent)
    group by decisions.statement_date
),

final as (
    select
        decisions.statement_date as date,
        'fomc_decision' as rule,
        'FOMC' as subject,
        cast(decisions.change_bps as double) as value,
        0.0 as threshold,
        'FOMC '
        || case decisions.action
            when 'cut' then 'cut rates by ' || abs(decisions.change_bps) || ' bp'
            when 'hike' then 'raised rates by ' || decisions.change_bps || ' bp'
            else 'held rates'
        end
        || ' to '
        || format('{:.2f}', decisions.target_low)
        || '-'
        || format('{:.2f}', decisions.target_high)
        || '% on ' || strftime(decisions.statement_date, '%Y-%m-%d')
        || ' (vote ' || decisions.votes_for_count || '-' || decisions.votes_against_count || ')'
        || coalesce('; dissents: ' || dissent_text.dissents, '; no dissents')
        || case
            when len(decisions.redlines) > 0
                then '; changed: ' || array_to_string(decisions.redlines[1:2], ' | ')
            else ''
        end as message
    from decisions
    left join dissent_text on decisions.statement_date = dissent_text.statement_date
    where decisions.action in ('cut', 'hike') or decisions.votes_against_count > 0
)

select * from final
