-- Each pair's ratio with its 50/200-session averages over the last two years.
with

latest as (
    select max(relative_strength.date) as last_date
    from marts.relative_strength as relative_strength
),

final as (
    select
        relative_strength.pair,
        relative_strength.date,
        relative_strength.ratio,
        relative_strength.ratio_sma50,
        relative_strength.ratio_sma200,
        relative_strength.mansfield_rs,
        relative_strength.rs_momentum_63
    from marts.relative_strength as relative_strength
    cross join latest
    where relative_strength.date > latest.last_date - interval 2 year
)

select * from final
order by pair, date
