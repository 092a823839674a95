-- pipeline: a posting's active applications at one stage, oldest first, 50,
-- with the candidate, the time they entered the stage, their history and
-- their scorecard counts by recommendation.
SELECT p.title,
  (SELECT json_agg(row_to_json(a) ORDER BY a.applied_at DESC, a.id DESC) FROM (
    SELECT a.id, a.status, a.version, a.applied_at,
      c.name, c.email, c.country_code, st.name AS stage,
      (SELECT max(t.occurred_at) FROM stage_transitions t
        WHERE t.application_id = a.id AND t.to_stage_id = a.current_stage_id) AS entered_current_stage_at,
      (SELECT json_agg(json_build_object('from', fs.name, 'to', ts.name, 'at', t.occurred_at) ORDER BY t.occurred_at, t.id)
         FROM stage_transitions t
         LEFT JOIN interview_stages fs ON fs.id = t.from_stage_id
         LEFT JOIN interview_stages ts ON ts.id = t.to_stage_id
        WHERE t.application_id = a.id) AS history,
      (SELECT json_agg(json_build_object('recommendation', s.recommendation, 'count', s.n))
         FROM (SELECT sc.recommendation, count(*) AS n FROM scorecards sc
                 JOIN interviews i ON i.id = sc.interview_id
                WHERE i.application_id = a.id AND sc.submitted_at IS NOT NULL
                GROUP BY sc.recommendation) s) AS scorecards
    FROM applications a
    JOIN candidates c ON c.id = a.candidate_id
    JOIN interview_stages st ON st.id = a.current_stage_id
    WHERE a.posting_id = :posting_id AND a.current_stage_id = :stage_id AND a.status = 'ACTIVE'
    ORDER BY a.applied_at DESC, a.id DESC
    LIMIT 51) a) AS applications
FROM postings p WHERE p.id = :posting_id;
