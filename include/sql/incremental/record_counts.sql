-- An incremental build's record_counts: the years from staging.stg_build_since's on are
-- recomputed (marts/record_counts.sql computes only those).
delete from core.record_counts
where year >= year((select stg_build_since.since from staging.stg_build_since));
