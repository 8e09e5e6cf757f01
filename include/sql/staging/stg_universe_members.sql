-- ETF basket members (iShares holdings files of IWM and IVV) per as-of date, with
-- the weight as a fraction of the fund. A rerun of a date replaces its file, so keys
-- are unique; should one appear twice, the latest ingestion wins.
with

lake_members as (
    select * from lake.universe_members
),

final as (
    select
        cast(lake_members.basket as varchar) as basket,
        cast(lake_members.as_of as date) as as_of,
        cast(lake_members.symbol as varchar) as symbol,
        lake_members.weight / 100 as weight,
        lake_members.market_value,
        lake_members.sector,
        cast(lake_members.run_id as varchar) as run_id
    from lake_members
    qualify row_number() over (
        partition by lake_members.basket, lake_members.as_of, lake_members.symbol
        order by lake_members.ingested_at desc
    ) = 1
)

select * from final
