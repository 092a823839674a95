// Compares a writer.mjs log with the database (read through psql):
//
//   node check.mjs LOG POSTGRES_URL
//
// - an acknowledged application is present and whole: its candidate, the
//   application, its first stage transition and both audit events;
// - an acknowledged move is present: the application's transition number
//   expectedVersion + 1 leads to the stage asked for;
// - anything else the writer sent (failed, timed out, cut off) is absent or
//   whole, never half-written: no candidate without its application, and
//   every application's transition log replays to its current stage and
//   status, with one transition and one audit event per version.
// Prints a summary and exits 1 on any violation.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const [log, database] = process.argv.slice(2);
if (!log || !database) {
  console.error('usage: node check.mjs LOG POSTGRES_URL');
  process.exit(2);
}

const events = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
const sql = `
select json_build_object(
  'candidates', coalesce((select json_agg(json_build_object(
      'id', c.id, 'email', c.email,
      'audits', (select count(*) from audit_events e where e.object_type = 'Candidate' and e.object_id = c.id and e.action = 'candidate.create'),
      'applications', (select coalesce(json_agg(a.id), '[]') from applications a where a.candidate_id = c.id)))
    from candidates c where c.email like 'fault-%'), '[]'),
  'applications', coalesce((select json_agg(json_build_object(
      'id', a.id, 'version', a.version, 'stage', a.current_stage_id, 'status', a.status,
      'audits', (select count(*) from audit_events e where e.object_type = 'Application' and e.object_id = a.id),
      'transitions', (select coalesce(json_agg(json_build_object('to', t.to_stage_id, 'status', t.to_status) order by t.id), '[]')
                      from stage_transitions t where t.application_id = a.id)))
    from applications a join candidates c on c.id = a.candidate_id where c.email like 'fault-%'), '[]')
)`;
const dump = JSON.parse(execFileSync('psql', [database, '-X', '-q', '-A', '-t', '-c', sql], { encoding: 'utf8', maxBuffer: 1 << 28 }));

const keyOf = (globalId) => Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);
const stageKey = keyOf;
const candidates = new Map(dump.candidates.map((c) => [c.email, c]));
const applications = new Map(dump.applications.map((a) => [a.id, a]));
const violations = [];
const violate = (message) => { if (violations.length < 50) violations.push(message); else violations.length++; };

// Whole: every application the writer's candidates have.
for (const app of applications.values()) {
  const last = app.transitions.at(-1);
  if (app.transitions.length !== app.version) {
    violate(`application ${app.id}: version ${app.version} but ${app.transitions.length} transitions`);
  }
  if (!last || last.to !== app.stage || last.status !== app.status) {
    violate(`application ${app.id}: its transitions do not replay to its current stage and status`);
  }
  if (Number(app.audits) !== app.version) {
    violate(`application ${app.id}: version ${app.version} but ${app.audits} audit events`);
  }
}
for (const candidate of candidates.values()) {
  if (candidate.applications.length !== 1) {
    violate(`candidate ${candidate.email}: ${candidate.applications.length} applications (half-written apply)`);
  }
  if (Number(candidate.audits) !== 1) {
    violate(`candidate ${candidate.email}: ${candidate.audits} candidate.create audit events`);
  }
}

// Acknowledged: present, as acknowledged.
const final = new Map();
for (const event of events) {
  if (event.phase !== 'sent') final.set(`${event.op} ${event.key}`, event);
}
const sent = events.filter((e) => e.phase === 'sent');
const tally = { sent: sent.length, ack: 0, refused: 0, failed: 0, unanswered: 0, presentUnacknowledged: 0 };
for (const event of sent) {
  const result = final.get(`${event.op} ${event.key}`);
  tally[result ? result.phase : 'unanswered']++;
  if (event.op === 'apply') {
    const candidate = candidates.get(event.key);
    if (result?.phase === 'ack') {
      if (!candidate) violate(`acknowledged application of ${event.key} is missing`);
      else if (result.application && !candidate.applications.includes(keyOf(result.application))) {
        violate(`acknowledged application ${result.application} of ${event.key} is not the one stored`);
      }
    } else if (result?.phase === 'refused' && candidate) {
      violate(`refused application of ${event.key} was stored`);
    } else if (candidate) {
      tally.presentUnacknowledged++;
    }
  } else if (event.op === 'move') {
    const app = applications.get(keyOf(event.application));
    const transition = app?.transitions[event.expectedVersion];
    if (result?.phase === 'ack') {
      if (!transition || transition.to !== stageKey(event.toStage)) {
        violate(`acknowledged move ${event.key} to ${event.toStage} is missing`);
      }
    } else if (result?.phase === 'refused') {
      // A refusal writes nothing; a later move may have used this version.
    } else if (transition && transition.to === stageKey(event.toStage)) {
      tally.presentUnacknowledged++;
    }
  }
}

console.log(JSON.stringify({ ...tally, candidates: candidates.size, applications: applications.size, violations: violations.length }));
if (violations.length > 0) {
  for (const message of violations.filter(Boolean)) console.error(`VIOLATION: ${message}`);
  process.exit(1);
}
if (tally.ack === 0) {
  console.error('no mutation was acknowledged: the check proves nothing');
  process.exit(1);
}
console.log('every acknowledged write is present and whole; nothing is half-written');
