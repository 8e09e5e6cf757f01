-- Relative strength per pair and date: the ratio of the two legs' prices on the
-- dates both have one, its 50/200-observation moving averages, Mansfield RS,
-- 63-observation momentum, each leg's returns and 52-week extremes of the ratio.
-- A leg is a symbol or a basket (its equal-weight index).
with

pairs as (
    select
        stg_pairs.pair,
        stg_pairs.numerator,
        stg_pairs.denominator,
        stg_pairs.price_column
    from staging.stg_pairs
),

-- the pairs' legs only (joined twice below)
legs as (
    select
        stg_prices_daily.symbol as leg,
        stg_prices_daily.date,
        stg_prices_daily.close,
        stg_prices_daily.adj_close
    from staging.stg_prices_daily
    where
        stg_prices_daily.symbol in (
            select pairs.numerator from pairs
            union
            select pairs.denominator from pairs
        )
    union all
    select
        stg_prices_daily_baskets.basket as leg,
        stg_prices_daily_baskets.date,
        stg_prices_daily_baskets.close,
        stg_prices_daily_baskets.adj_close
    from staging.stg_prices_daily_baskets
),

pair_prices as (
    select
        pairs.pair,
        numerator_legs.date,
        pairs.numerator,
        pairs.denominator,
        pairs.price_column,
        case pairs.price_column
            when 'close' then numerator_legs.close
            else numerator_legs.adj_close
        end as numerator_price,
        case pairs.price_column
            when 'close' then denominator_legs.close
            else denominator_legs.adj_close
        end as denominator_price
    from pairs
    inner join legs as numerator_legs
        on pairs.numerator = numerator_legs.leg
    inner join legs as denominator_legs
        on
            pairs.denominator = denominator_legs.leg
            and numerator_legs.date = denominator_legs.date
),

observations as (
    select
        pair_prices.*,
        pair_prices.numerator_price / pair_prices.denominator_price as ratio
    from pair_prices
    where
        pair_prices.numerator_price is not null
        and pair_prices.denominator_price is not null
        and pair_prices.denominator_price <> 0
),

windowed as (
    select
        observations.*,
        row_number() over by_date as observation_number,
        avg(observations.ratio) over (by_date rows between 49 preceding and current row)
            as ratio_avg_50,
        avg(observations.ratio) over (by_date rows between 199 preceding and current row)
            as ratio_avg_200,
        max(observations.ratio) over (by_date rows between 252 preceding and 1 preceding)
            as ratio_max_252,
        min(observations.ratio) over (by_date rows between 252 preceding and 1 preceding)
            as ratio_min_252,
        lag(observations.ratio, 63) over by_date as ratio_63_back,
        lag(observations.numerator_price) over by_date as previous_numerator_price,
        lag(observations.denominator_price) over by_date as previous_denominator_price
    from observations
    window by_date as (partition by observations.pair order by observations.date)
),

warmed_up as (
    select
        windowed.*,
        case when windowed.observation_number >= 50 then windowed.ratio_avg_50 end
            as ratio_sma50,
        case when windowed.observation_number >= 200 then windowed.ratio_avg_200 end
            as ratio_sma200,
        case when windowed.observation_number > 252 then windowed.ratio_max_252 end
            as ratio_high_52w_prior,
        case when windowed.observation_number > 252 then windowed.ratio_min_252 end
            as ratio_low_52w_prior
    from windowed
),

final as (
    select
        warmed_up.pair,
        warmed_up.date,
        warmed_up.numerator,
        warmed_up.denominator,
        warmed_up.price_column,
        warmed_up.numerator_price,
        warmed_up.denominator_price,
        warmed_up.ratio,
        warmed_up.ratio_sma50,
        warmed_up.ratio_sma200,
        (warmed_up.ratio / warmed_up.ratio_sma200 - 1) * 100 as mansfield_rs,
        warmed_up.ratio / warmed_up.ratio_63_back - 1 as rs_momentum_63,
        warmed_up.numerator_price / warmed_up.previous_numerator_price - 1 as numerator_return,
        warmed_up.denominator_price / warmed_up.previous_denominator_price - 1
            as denominator_return,
        warmed_up.ratio_high_52w_prior,
        warmed_up.ratio_low_52w_prior,
        coalesce(warmed_up.ratio > warmed_up.ratio_high_52w_prior, false) as is_ratio_high_52w,
        coalesce(warmed_up.ratio < warmed_up.ratio_low_52w_prior, false) as is_ratio_low_52w,
        warmed_up.observation_number
    from warmed_up
)

select * from final
