-- The Fed moved its own path: this year's median dot moved by 25 bp or more against
-- the previous SEP (the same target year), with the moves it now implies from the
-- range the meeting set.
with

shifts as (
    select fed_path.* from marts.fed_path
    where abs(fed_path.median_this_year_change_bp) >= 25
),

final as (
    select
        shifts.meeting_date as date,
        'fed_path_shift' as rule,
        'FOMC' as subject,
        shifts.median_this_year_change_bp as value,
        25.0 as threshold,
        format(
            'FOMC projections of {}: the median dot for {} moved {:+.0f} bp to {:.3f}% '
            || '(from {:.3f}% in the SEP of {}), implying {:+.1f} moves of 25 bp '
            || '(negative: cuts) this year from the {:.2f}-{:.2f}% range set that day; '
            || '{} median {:.3f}%, longer run {}%',
            shifts.meeting_date,
            shifts.this_year,
            shifts.median_this_year_change_bp,
            coalesce(shifts.dots_median_this_year, shifts.median_this_year),
            shifts.previous_median_this_year,
            shifts.previous_meeting_date,
            shifts.implied_moves_this_year,
            shifts.target_low,
            shifts.target_high,
            shifts.this_year + 1,
            coalesce(shifts.dots_median_next_year, shifts.median_next_year),
            coalesce(format('{:.2f}', shifts.median_longer_run), 'n/a')
        ) as message
    from shifts
)

select * from final
