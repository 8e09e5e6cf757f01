-- How concentrated each ETF basket (IWM, IVV) is, per holdings file (date = its as_of):
-- the weight of its 10 largest companies, of the universe file's MAG7 companies, and the
-- effective number of constituents (1 / sum of squared weights, as fractions of the
-- file's total). Weights in percent (0-100), as the holdings file states them.
--
-- A company counts once, its share classes' weights added (GOOG + GOOGL), before the
-- top 10 are ranked and before the squares are summed. Company: the SEC CIK of the
-- symbol (staging.stg_sec_companies) when known; otherwise the symbol's share-class
-- root: the part before '-' of Yahoo's spelling (BRK-A, BRK-B -> BRK), or for the few
-- share classes Yahoo spells without a separator, the class listed in share_classes.
--
-- Holdings rows without a weight are left out (the row, not the file). A file whose
-- weights add up to less than 95 or more than 105 percent gets no row at all: its date
-- is left out rather than reported from a partial or garbled file.
with

holdings as (
    select
        stg_universe_members.basket,
        stg_universe_members.as_of,
        stg_universe_members.symbol,
        stg_universe_members.weight * 100 as weight
    from staging.stg_universe_members
    where stg_universe_members.weight is not null
),

-- Same company, no separator in Yahoo's spelling: symbol -> the class it is grouped with
share_classes as (
    select
        classes.symbol,
        classes.class_root
    from (
        values
        ('GOOG', 'GOOGL'),
        ('FOX', 'FOXA'),
        ('NWS', 'NWSA')
    ) as classes (symbol, class_root)
),

company_of_symbol as (
    select
        symbols.symbol,
        coalesce(
            cast(companies.cik as varchar),
            share_classes.class_root,
            split_part(symbols.symbol, '-', 1)
        ) as company
    from (
        select holdings.symbol from holdings
        union
        select stg_basket_members.symbol from staging.stg_basket_members
    ) as symbols
    left join staging.stg_sec_companies as companies
        on symbols.symbol = companies.symbol
    left join share_classes
        on symbols.symbol = share_classes.symbol
),

mag7_companies as (
    select distinct company_of_symbol.company
    from staging.stg_basket_members as configured
    inner join company_of_symbol
        on configured.symbol = company_of_symbol.symbol
    where configured.basket = 'MAG7'
),

-- files whose weights add up to about 100 percent
complete_files as (
    select
        holdings.basket,
        holdings.as_of,
        count(*) as holdings_rows,
        sum(holdings.weight) as weight_total
    from holdings
    group by holdings.basket, holdings.as_of
    -- rounded: the percent figures have two decimals, their float sum a little noise
    having round(sum(holdings.weight), 6) between 95 and 105
),

company_weights as (
    select
        holdings.basket,
        holdings.as_of,
        company_of_symbol.company,
        sum(holdings.weight) as weight
    from holdings
    inner join company_of_symbol
        on holdings.symbol = company_of_symbol.symbol
    group by holdings.basket, holdings.as_of, company_of_symbol.company
),

ranked as (
    select
        company_weights.*,
        company_weights.company in (select mag7_companies.company from mag7_companies)
            as is_mag7,
        row_number() over (
            partition by company_weights.basket, company_weights.as_of
            order by company_weights.weight desc, company_weights.company asc
        ) as weight_rank
    from company_weights
),

final as (
    select
        complete_files.basket,
        complete_files.as_of as date,
        count(*) as members,
        sum(ranked.weight) filter (where ranked.weight_rank <= 10) as top10_weight,
        case
            when (select count(*) as mag7_size from mag7_companies) > 0
                then coalesce(sum(ranked.weight) filter (where ranked.is_mag7), 0)
        end as mag7_weight,
        count(*) filter (where ranked.is_mag7) as mag7_members,
        1 / sum(power(ranked.weight / complete_files.weight_total, 2))
            as effective_constituents,
        complete_files.weight_total,
        complete_files.holdings_rows
    from complete_files
    inner join ranked
        on
            complete_files.basket = ranked.basket
            and complete_files.as_of = ranked.as_of
    group by
        complete_files.basket,
        complete_files.as_of,
        complete_files.weight_total,
        complete_files.holdings_rows
)

select * from final
order by basket, date
