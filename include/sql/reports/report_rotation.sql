-- The tails of the relative rotation graphs: every pair's points over the last N
-- sessions of marts.rotation (variable sessions), warm-up rows (no coordinates) left out.
with

recent_sessions as (
    select distinct rotation.date
    from marts.rotation as rotation
    order by rotation.date desc
    limit getvariable('sessions')
),

final as (
    select
        rotation.pair,
        rotation.kind,
        rotation.numerator,
        rotation.denominator,
        rotation.date,
        rotation.rs_ratio,
        rotation.rs_momentum,
        rotation.quadrant
    from marts.rotation as rotation
    inner join recent_sessions on rotation.date = recent_sessions.date
    where rotation.rs_ratio is not null and rotation.rs_momentum is not null
)

select * from final
order by kind, pair, date
