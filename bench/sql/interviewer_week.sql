-- interviewer_week: an interviewer's interviews in one week, up to 100,
-- with stage, candidate, posting and all interviewers.
SELECT i.id, i.starts_at, i.ends_at, i.status, i.meeting_url, st.name AS stage,
  c.name AS candidate, p.title,
  (SELECT json_agg(u.name ORDER BY u.name) FROM interview_interviewers x JOIN users u ON u.id = x.user_id
    WHERE x.interview_id = i.id) AS interviewers
FROM interview_interviewers ii
JOIN interviews i ON i.id = ii.interview_id
JOIN interview_stages st ON st.id = i.stage_id
JOIN applications a ON a.id = i.application_id
JOIN candidates c ON c.id = a.candidate_id
JOIN postings p ON p.id = a.posting_id
WHERE ii.user_id = :interviewer_id
  AND i.starts_at >= CAST(:week_from AS timestamptz) AND i.starts_at < CAST(:week_to AS timestamptz)
ORDER BY i.starts_at, i.id
LIMIT 101;
