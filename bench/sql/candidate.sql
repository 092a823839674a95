-- candidate: one candidate with up to 20 applications, each with its
-- posting, current stage and up to 20 interviews with stage and interviewers.
SELECT c.name, c.email, c.country_code,
  (SELECT json_agg(row_to_json(a) ORDER BY a.applied_at DESC, a.id DESC) FROM (
    SELECT a.id, a.status, a.applied_at, p.title, st.name AS stage,
      (SELECT json_agg(row_to_json(i) ORDER BY i.starts_at, i.id) FROM (
         SELECT i.id, i.starts_at, i.status, ist.name AS stage,
           (SELECT json_agg(u.name ORDER BY u.name) FROM interview_interviewers ii JOIN users u ON u.id = ii.user_id
             WHERE ii.interview_id = i.id) AS interviewers
         FROM interviews i JOIN interview_stages ist ON ist.id = i.stage_id
         WHERE i.application_id = a.id
         ORDER BY i.starts_at, i.id LIMIT 21) i) AS interviews
    FROM applications a
    JOIN postings p ON p.id = a.posting_id
    JOIN interview_stages st ON st.id = a.current_stage_id
    WHERE a.candidate_id = c.id
    ORDER BY a.applied_at DESC, a.id DESC
    LIMIT 21) a) AS applications
FROM candidates c WHERE c.id = :candidate_id;
