-- Each extended symbol's records as of its last published row, which the new rows of
-- an incremental build continue: the running record close and high with their dates,
-- the first date of its history and its rows before the first row of
-- stg_records_input. Empty in a full build (every symbol starts from its first row).
with

final as (
    select
        cast(null as varchar) as symbol,
        cast(null as double) as record_close,
        cast(null as date) as record_close_date,
        cast(null as double) as record_high,
        cast(null as date) as record_high_date,
        cast(null as date) as record_basis_start,
        cast(null as bigint) as rows_before
    where false
)

select * from final
