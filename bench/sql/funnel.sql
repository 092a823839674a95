-- funnel: a posting's funnel. Per stage: applications there now, entered,
-- advanced past it, median hours in it; hires and time to hire; rejections by
-- reason; applications by source. Four statements in one pgbench transaction.
SELECT count(*) AS total,
       count(*) FILTER (WHERE a.status = 'HIRED') AS hired,
       avg(extract(epoch FROM (t.occurred_at - a.applied_at)) / 86400) FILTER (WHERE a.status = 'HIRED') AS time_to_hire_days
FROM applications a
LEFT JOIN LATERAL (SELECT max(occurred_at) AS occurred_at FROM stage_transitions t
                   WHERE t.application_id = a.id AND t.to_status = 'HIRED') t ON true
WHERE a.posting_id = :posting_id;

WITH spans AS (
  SELECT t.application_id, t.to_stage_id AS stage_id, t.occurred_at AS entered_at,
         lead(t.occurred_at) OVER (PARTITION BY t.application_id ORDER BY t.occurred_at, t.id) AS left_at,
         lead(t.to_stage_id) OVER (PARTITION BY t.application_id ORDER BY t.occurred_at, t.id) AS next_stage_id
  FROM stage_transitions t JOIN applications a ON a.id = t.application_id
  WHERE a.posting_id = :posting_id AND t.to_stage_id IS NOT NULL
)
SELECT st.position, st.name,
  (SELECT count(*) FROM applications a WHERE a.current_stage_id = st.id AND a.status = 'ACTIVE') AS current,
  count(DISTINCT s.application_id) AS entered,
  count(DISTINCT s.application_id) FILTER (WHERE ns.position > st.position) AS advanced,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (s.left_at - s.entered_at)) / 3600)
    FILTER (WHERE s.left_at IS NOT NULL) AS median_hours
FROM interview_stages st
LEFT JOIN spans s ON s.stage_id = st.id
LEFT JOIN interview_stages ns ON ns.id = s.next_stage_id
WHERE st.posting_id = :posting_id
GROUP BY st.id, st.position, st.name
ORDER BY st.position;

SELECT rejection_reason, count(*) FROM applications
WHERE posting_id = :posting_id AND status = 'REJECTED'
GROUP BY rejection_reason ORDER BY count(*) DESC;

SELECT c.source, count(*) FROM applications a JOIN candidates c ON c.id = a.candidate_id
WHERE a.posting_id = :posting_id
GROUP BY c.source ORDER BY count(*) DESC;
