-- posting_by_slug: one posting by slug with its sections, responsibilities,
-- skills, regions and their countries, salary tiers, plan and questions.
WITH p AS (
  SELECT * FROM postings WHERE slug = :slug AND status IN ('OPEN', 'CLOSED')
)
SELECT p.id, p.title, p.status, p.employment_type, p.workplace_type, p.start_date,
  (SELECT json_agg(json_build_object('heading', s.heading, 'body', s.body) ORDER BY s.position)
     FROM posting_sections s WHERE s.posting_id = p.id) AS description,
  (SELECT json_agg(r.description ORDER BY r.position) FROM posting_responsibilities r WHERE r.posting_id = p.id) AS responsibilities,
  (SELECT json_agg(json_build_object('skill', sk.name, 'requirement', ps.requirement) ORDER BY ps.position)
     FROM posting_skills ps JOIN skills sk ON sk.id = ps.skill_id WHERE ps.posting_id = p.id) AS skills,
  (SELECT json_agg(json_build_object('name', r.name, 'countries',
            (SELECT json_agg(rc.country_code ORDER BY rc.country_code) FROM region_countries rc WHERE rc.region_id = r.id)))
     FROM posting_regions pr JOIN regions r ON r.id = pr.region_id WHERE pr.posting_id = p.id) AS regions,
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
     JOIN geo_zones z ON z.id = b.geo_zone_id) AS salary_tiers,
  (SELECT json_agg(json_build_object('name', st.name, 'kind', st.kind, 'mode', st.mode) ORDER BY st.position)
     FROM interview_stages st WHERE st.posting_id = p.id) AS interview_plan,
  (SELECT json_agg(json_build_object('id', q.id, 'prompt', q.prompt, 'required', q.required) ORDER BY q.position)
     FROM posting_questions q WHERE q.posting_id = p.id) AS questions
FROM p;
