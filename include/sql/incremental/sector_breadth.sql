-- An incremental build's sector_breadth: the sessions from staging.stg_build_since on
-- are recomputed (marts/sector_breadth.sql computes only those).
delete from core.sector_breadth
where date >= (select stg_build_since.since from staging.stg_build_since);
