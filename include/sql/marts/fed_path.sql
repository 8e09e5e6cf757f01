-- The Fed's own path, per SEP meeting: the federal funds rate medians of Table 1 for
-- the meeting's year, the next year and the longer run, the range the meeting set,
-- the 25 bp moves from that range's midpoint to this year's median, and how the
-- medians moved against the previous SEP (same target year: the December SEP's
-- "next year" is the March SEP's "this year"). Moves and shifts use the dots' exact
-- median (3.625, where Table 1 prints 3.6), Table 1's when a meeting has no dots.
with

funds_rate as (
    select
        stg_fomc_projections.meeting_date,
        stg_fomc_projections.target_year,
        stg_fomc_projections.median,
        stg_fomc_projections.url
    from staging.stg_fomc_projections
    where stg_fomc_projections.variable = 'federal_funds_rate'
),

dot_counts as (
    select
        stg_fomc_dots.meeting_date,
        stg_fomc_dots.target_year,
        stg_fomc_dots.midpoint,
        sum(stg_fomc_dots.participants) over (
            partition by stg_fomc_dots.meeting_date, stg_fomc_dots.target_year
            order by stg_fomc_dots.midpoint
            rows between unbounded preceding and current row
        ) as dots_up_to,
        sum(stg_fomc_dots.participants) over (
            partition by stg_fomc_dots.meeting_date, stg_fomc_dots.target_year
        ) as dots
    from staging.stg_fomc_dots
),

-- the middle dot (the mean of the two middle ones when the count is even)
dot_medians as (
    select
        dot_counts.meeting_date,
        dot_counts.target_year,
        any_value(dot_counts.dots) as participants,
        (
            min(dot_counts.midpoint) filter (
                where dot_counts.dots_up_to >= (dot_counts.dots + 1) // 2
            )
            + min(dot_counts.midpoint) filter (
                where dot_counts.dots_up_to >= dot_counts.dots // 2 + 1
            )
        ) / 2 as dots_median
    from dot_counts
    group by dot_counts.meeting_date, dot_counts.target_year
),

medians as (
    select
        funds_rate.meeting_date,
        funds_rate.target_year,
        funds_rate.median,
        dot_medians.dots_median,
        coalesce(dot_medians.dots_median, funds_rate.median) as exact_median,
        dot_medians.participants,
        funds_rate.url
    from funds_rate
    left join dot_medians
        on
            funds_rate.meeting_date = dot_medians.meeting_date
            and funds_rate.target_year = dot_medians.target_year
),

meetings as (
    select
        meeting_dates.meeting_date,
        lag(meeting_dates.meeting_date) over (order by meeting_dates.meeting_date)
            as previous_meeting_date
    from (select distinct medians.meeting_date from medians) as meeting_dates
),

-- the range after the meeting's decision: its statement's, else FRED's on the next day
ranges as (
    select
        meetings.meeting_date,
        coalesce(statements.target_low, fred.target_low) as target_low,
        coalesce(statements.target_high, fred.target_high) as target_high
    from meetings
    left join staging.stg_fomc_statements as statements
        on meetings.meeting_date = statements.statement_date
    asof left join staging.stg_fed_funds_target as fred
        on meetings.meeting_date < fred.date
),

paths as (
    select
        meetings.meeting_date,
        meetings.previous_meeting_date,
        year(meetings.meeting_date) as this_year,
        this_year.median as median_this_year,
        next_year.median as median_next_year,
        longer_run.median as median_longer_run,
        this_year.dots_median as dots_median_this_year,
        next_year.dots_median as dots_median_next_year,
        ranges.target_low,
        ranges.target_high,
        (ranges.target_low + ranges.target_high) / 2 as target_midpoint,
        this_year.exact_median as exact_this_year,
        next_year.exact_median as exact_next_year,
        previous_this_year.exact_median as previous_median_this_year,
        previous_next_year.exact_median as previous_median_next_year,
        this_year.participants,
        this_year.url
    from meetings
    left join ranges on meetings.meeting_date = ranges.meeting_date
    left join medians as this_year
        on
            meetings.meeting_date = this_year.meeting_date
            and this_year.target_year = cast(year(meetings.meeting_date) as varchar)
    left join medians as next_year
        on
            meetings.meeting_date = next_year.meeting_date
            and next_year.target_year = cast(year(meetings.meeting_date) + 1 as varchar)
    left join medians as longer_run
        on
            meetings.meeting_date = longer_run.meeting_date
            and longer_run.target_year = 'longer_run'
    left join medians as previous_this_year
        on
            meetings.previous_meeting_date = previous_this_year.meeting_date
            and previous_this_year.target_year = cast(year(meetings.meeting_date) as varchar)
    left join medians as previous_next_year
        on
            meetings.previous_meeting_date = previous_next_year.meeting_date
            and previous_next_year.target_year = cast(year(meetings.meeting_date) + 1 as varchar)
),

final as (
    select
        paths.meeting_date,
        paths.this_year,
        paths.median_this_year,
        paths.median_next_year,
        paths.median_longer_run,
        paths.dots_median_this_year,
        paths.dots_median_next_year,
        paths.target_low,
        paths.target_high,
        paths.target_midpoint,
        round((paths.exact_this_year - paths.target_midpoint) / 0.25, 2)
            as implied_moves_this_year,
        round((paths.exact_next_year - paths.exact_this_year) / 0.25, 2)
            as implied_moves_next_year,
        paths.previous_meeting_date,
        paths.previous_median_this_year,
        paths.previous_median_next_year,
        round((paths.exact_this_year - paths.previous_median_this_year) * 100)
            as median_this_year_change_bp,
        round((paths.exact_next_year - paths.previous_median_next_year) * 100)
            as median_next_year_change_bp,
        paths.participants,
        paths.url
    from paths
)

select * from final
order by meeting_date
