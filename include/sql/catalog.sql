-- marts.catalog: every mart and column BI tools can query, with its description.
-- One row per mart (column_name NULL) and one per column, in column order.
with

marts as (
    select
        mart_views.view_name as mart,
        null as column_name,
        null as data_type,
        0 as position,
        mart_views.comment as description
    from duckdb_views() as mart_views
    where mart_views.schema_name = 'marts' and mart_views.view_name <> 'catalog'
),

columns as (
    select
        cols.table_name as mart,
        cols.column_name,
        cols.data_type,
        cols.column_index as position,
        cols.comment as description
    from duckdb_columns() as cols
    where cols.schema_name = 'marts' and cols.table_name <> 'catalog'
),

final as (
    select * from marts
    union all
    select * from columns
)

select * from final
order by mart, position
