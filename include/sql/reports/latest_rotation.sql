-- The latest quadrant of each rotation pair (pairs first, then sectors), the quadrant
-- it came from and the session it entered its current one (the last change).
with

changes as (
    select
        rotation.pair,
        max(rotation.date) as quadrant_since
    from marts.rotation as rotation
    where rotation.quadrant is distinct from rotation.previous_quadrant
    group by rotation.pair
),

latest as (
    select rotation.*
    from marts.rotation as rotation
    qualify row_number() over (partition by rotation.pair order by rotation.date desc) = 1
),

final as (
    select
        latest.kind,
        latest.pair,
        latest.numerator,
        latest.denominator,
        latest.date,
        latest.rs_ratio,
        latest.rs_momentum,
        latest.quadrant,
        latest.previous_quadrant,
        changes.quadrant_since
    from latest
    left join changes on latest.pair = changes.pair
)

select * from final
order by kind, pair
