-- The path of the Fed's medians: the federal funds rate median of every target year
-- (and the longer run) at each SEP meeting since January of getvariable('first_year'),
-- with Table 1's central tendency and range (marts.fomc_projections; marts.fed_path
-- keeps only this year, next year and the longer run).
with

funds_rate as (
    select
        projections.meeting_date,
        projections.target_year,
        projections.median,
        projections.central_tendency_low,
        projections.central_tendency_high,
        projections.range_low,
        projections.range_high
    from marts.fomc_projections as projections
    where
        projections.variable = 'federal_funds_rate'
        and projections.median is not null
        and year(projections.meeting_date) >= getvariable('first_year')
),

final as (
    select
        funds_rate.meeting_date,
        funds_rate.target_year,
        funds_rate.median,
        funds_rate.central_tendency_low,
        funds_rate.central_tendency_high,
        funds_rate.range_low,
        funds_rate.range_high
    from funds_rate
)

select * from final
order by target_year, meeting_date
