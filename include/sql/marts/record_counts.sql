-- The records of marts.records counted per symbol and calendar year: record closes,
-- record highs and tested-and-failed sessions, and the first and last record close of
-- the year. A symbol's first session is no record (as marts.records flags it).
--
-- Incremental-ready: only the years from staging.stg_build_since's year on are computed
-- (every year when since is NULL, a full build); the earlier years' rows are unchanged
-- by a build that starts later, since a year's counts read that year's rows only.
-- (`year` is the documented column name; sqlfluff's RF04 is silenced where it is used.)
with

build_since as (
    select stg_build_since.since
    from staging.stg_build_since
),

session_records as (
    select
        records.symbol,
        records.date,
        records.is_record_close,
        records.is_record_high,
        records.is_tested_and_failed
    from marts.records as records
    cross join build_since
    where
        build_since.since is null
        or records.date >= make_date(year(build_since.since), 1, 1)
),

final as (
    select
        session_records.symbol,
        year(session_records.date) as year,  -- noqa: RF04
        count(*) as sessions,
        count(*) filter (where session_records.is_record_close) as record_closes,
        count(*) filter (where session_records.is_record_high) as record_highs,
        count(*) filter (where session_records.is_tested_and_failed) as tested_and_failed,
        min(session_records.date) filter (where session_records.is_record_close)
            as first_record_date,
        max(session_records.date) filter (where session_records.is_record_close)
            as last_record_date,
        min(session_records.date) as first_session,
        max(session_records.date) as last_session
    from session_records
    group by session_records.symbol, year(session_records.date)
)

select * from final
order by symbol, year  -- noqa: RF04
