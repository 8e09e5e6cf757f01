-- The latest SEP of marts.fed_path: the federal funds rate medians (this year, next
-- year, longer run; the dots' exact medians), the range the meeting set, the implied
-- 25 bp moves and the shifts against the previous SEP.
select
    fed_path.meeting_date,
    fed_path.this_year,
    fed_path.median_this_year,
    fed_path.dots_median_this_year,
    fed_path.median_next_year,
    fed_path.dots_median_next_year,
    fed_path.median_longer_run,
    fed_path.target_low,
    fed_path.target_high,
    fed_path.implied_moves_this_year,
    fed_path.implied_moves_next_year,
    fed_path.previous_meeting_date,
    fed_path.median_this_year_change_bp,
    fed_path.median_next_year_change_bp,
    fed_path.participants
from marts.fed_path as fed_path
order by fed_path.meeting_date desc
limit 1
