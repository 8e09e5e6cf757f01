-- Stock splits per symbol (Yahoo events) with, for each, the product of its ratio and
-- every later split's: the factor that puts a share count from before this split on
-- the basis of today's split-adjusted prices.
with

splits as (
    select
        cast(corporate_actions.symbol as varchar) as symbol,
        cast(corporate_actions.date as date) as date,
        corporate_actions.value as ratio
    from lake.corporate_actions
    where corporate_actions.kind = 'split' and corporate_actions.value > 0
),

final as (
    select
        splits.symbol,
        splits.date,
        splits.ratio,
        exp(sum(ln(splits.ratio)) over (
            partition by splits.symbol order by splits.date desc
            rows between unbounded preceding and current row
        )) as factor_from_here
    from splits
)

select * from final
