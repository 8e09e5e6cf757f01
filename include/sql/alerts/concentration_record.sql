-- The MAG7 weight in IVV (the S&P 500) at its highest since holdings began: above its
-- weight in every earlier holdings file (not on the first file).
with

observations as (
    select
        concentration.date,
        concentration.basket,
        concentration.mag7_weight,
        concentration.top10_weight,
        concentration.effective_constituents,
        max(concentration.mag7_weight) over (
            order by concentration.date rows between unbounded preceding and 1 preceding
        ) as previous_high,
        arg_max(concentration.date, concentration.mag7_weight) over (
            order by concentration.date rows between unbounded preceding and 1 preceding
        ) as previous_high_date,
        first_value(concentration.date) over (order by concentration.date) as first_date
    from marts.concentration
    where concentration.basket = 'IVV' and concentration.mag7_weight is not null
),

records as (
    select observations.* from observations
    where observations.mag7_weight > observations.previous_high
),

final as (
    select
        records.date,
        'concentration_record' as rule,
        records.basket as subject,
        records.mag7_weight as value,
        records.previous_high as threshold,
        format(
            'MAG7 weight in {} at a record {:.2f}% in the holdings of {}, above {:.2f}% '
            || 'on {} (highest since {}); top 10 {:.2f}%, effective constituents {:.1f}',
            records.basket,
            records.mag7_weight,
            records.date,
            records.previous_high,
            records.previous_high_date,
            records.first_date,
            records.top10_weight,
            records.effective_constituents
        ) as message
    from records
)

select * from final
