-- The session the morning report is about: the latest session in the warehouse
-- (the as-of session of the alerts, marts.records' last date).
with

final as (
    select max(records.date) as session_date
    from marts.records as records
)

select * from final
