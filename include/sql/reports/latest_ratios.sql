-- The latest observation of each relative-strength pair.
with ranked as (
    select
        rs.*,
        row_number() over (partition by rs.pair order by rs.date desc) as recency
    from marts.relative_strength as rs
),

final as (
    select
        pair,
        date,
        ratio,
        ratio_sma200,
        mansfield_rs,
        rs_momentum_63
    from ranked
    where recency = 1
)

select * from final
order by pair
