-- careers: open postings, newest first, 20, with regions, teams and the
-- salary range per geo zone their regions cover (live bands of the posting's
-- job family and levels). One statement; pgbench runs it as one transaction.
WITH page AS (
  SELECT id, slug, title, employment_type, workplace_type, published_at, job_family_id, created_at
  FROM postings
  WHERE status = 'OPEN'
  ORDER BY created_at DESC, id DESC
  LIMIT 21
)
SELECT p.id, p.slug, p.title, p.employment_type, p.workplace_type, p.published_at,
  (SELECT json_agg(r.name ORDER BY r.name) FROM posting_regions pr JOIN regions r ON r.id = pr.region_id
    WHERE pr.posting_id = p.id) AS regions,
  (SELECT json_agg(t.name ORDER BY t.name) FROM posting_teams pt JOIN teams t ON t.id = pt.team_id
    WHERE pt.posting_id = p.id) AS teams,
  (SELECT json_agg(json_build_object('zone', z.name, 'min', b.min_minor, 'max', b.max_minor,
                                     'currency', b.currency, 'interval', b.pay_interval))
     FROM (SELECT b.geo_zone_id, b.currency, b.pay_interval, min(b.min_minor) AS min_minor, max(b.max_minor) AS max_minor
             FROM compensation_bands b
             JOIN posting_levels pl ON pl.level_id = b.level_id AND pl.posting_id = p.id
            WHERE b.job_family_id = p.job_family_id
              AND b.band_set_id IS NULL
              AND b.effective_from <= current_date
              AND (b.effective_to IS NULL OR b.effective_to > current_date)
              AND b.geo_zone_id IN (
                SELECT gzc.geo_zone_id FROM posting_regions pr
                  JOIN region_countries rc ON rc.region_id = pr.region_id
                  JOIN geo_zone_countries gzc ON gzc.country_code = rc.country_code
                 WHERE pr.posting_id = p.id)
            GROUP BY b.geo_zone_id, b.currency, b.pay_interval) b
     JOIN geo_zones z ON z.id = b.geo_zone_id) AS salary_tiers
FROM page p
ORDER BY p.created_at DESC, p.id DESC;
