-- A pair of the rotation graph enters the leading or lagging quadrant (from another
-- quadrant on its previous observation).
with

entries as (
    select rotation.* from marts.rotation
    where
        rotation.quadrant in ('leading', 'lagging')
        and rotation.previous_quadrant is not null
        and rotation.previous_quadrant <> rotation.quadrant
),

final as (
    select
        entries.date,
        'rotation_quadrant_change' as rule,
        entries.pair as subject,
        entries.rs_ratio as value,
        100.0 as threshold,
        format(
            '{} entered the {} quadrant on {} (from {}): RS-Ratio {:.2f}, '
            || 'RS-Momentum {:.2f} (centre 100)',
            entries.pair,
            entries.quadrant,
            entries.date,
            entries.previous_quadrant,
            entries.rs_ratio,
            entries.rs_momentum
        ) as message
    from entries
)

select * from final
