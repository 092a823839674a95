// A client that keeps writing to hiregraph and logs, for every mutation, that
// it was sent and what came back, one JSON line per event, flushed before the
// next request. check.mjs later compares this log with the database.
//
//   node writer.mjs URL TOKEN LOG [WORKERS]
//
// Each worker applies to an open posting as a new candidate
// (fault-<run>-<worker>-<n>@example.com) or moves one of the applications it
// made to the next stage of its posting's interview plan. With several open
// postings it leaves the newest alone (the soak's readers read that one, so
// the data they read keeps its size) and spreads over up to 19 others. It
// runs until SIGTERM or SIGINT, then lets requests in flight finish and exits.
import { appendFileSync } from 'node:fs';

const [url, token, log, workersArg] = process.argv.slice(2);
if (!url || !token || !log) {
  console.error('usage: node writer.mjs URL TOKEN LOG [WORKERS]');
  process.exit(2);
}
const workers = Number(workersArg ?? 6);
const run = Date.now().toString(36);
const timeoutMs = Number(process.env.WRITER_TIMEOUT_MS ?? 15000);
let stopping = false;
process.on('SIGTERM', () => { stopping = true; });
process.on('SIGINT', () => { stopping = true; });

const record = (event) => appendFileSync(log, JSON.stringify({ t: Date.now(), ...event }) + '\n');

async function graphql(query, variables, auth) {
  const started = Date.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(auth ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body = null;
    try { body = JSON.parse(text); } catch { /* not JSON */ }
    return {
      status: response.status,
      body,
      retryAfter: response.headers.get('retry-after'),
      ms: Date.now() - started,
    };
  } catch (error) {
    return { status: 0, body: null, error: String(error.cause?.code ?? error.name ?? error), ms: Date.now() - started };
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The open postings to write to, with their plans and required questions,
// read once (retried until the server answers).
async function discover() {
  for (;;) {
    const reply = await graphql(
      `{ postings(first: 20, filter: { statuses: [OPEN] }) { nodes { id regions { countries { code } everywhere }
         interviewPlan { id position } questions { id required } } } }`,
      {},
      true,
    );
    const open = reply.body?.data?.postings?.nodes ?? [];
    if (open.length > 0) return open.length > 1 ? open.slice(1) : open;
    if (reply.status === 401 || reply.status === 403) {
      console.error('writer: the token is refused', JSON.stringify(reply.body));
      process.exit(1);
    }
    if (stopping) process.exit(0);
    console.error('writer: waiting for the server', reply.status, reply.error ?? '');
    await sleep(500);
  }
}

// Applicants are anonymous: they get a receipt, not the application.
const APPLY = `mutation Apply($input: ApplyToPostingInput!) {
  applyToPosting(input: $input) { receipt { applicationId } userErrors { code message } } }`;
const MOVE = `mutation Move($input: MoveApplicationToStageInput!) {
  moveApplicationToStage(input: $input) { application { id version currentStage { id } } userErrors { code message } } }`;
const READ = `query Read($id: ID!) { application(id: $id) { id version currentStage { id } status } }`;

function outcome(reply, field) {
  const payload = reply.body?.data?.[field];
  if (reply.status === 200 && payload) {
    return payload.userErrors?.length
      ? { phase: 'refused', code: payload.userErrors[0].code }
      : { phase: 'ack', payload };
  }
  return {
    phase: 'failed',
    code: reply.body?.errors?.[0]?.extensions?.code ?? reply.error ?? null,
  };
}

function target(posting) {
  return {
    id: posting.id,
    plan: [...posting.interviewPlan].sort((a, b) => a.position - b.position).map((s) => s.id),
    country: posting.regions.flatMap((r) => r.countries.map((c) => c.code))[0] ?? 'KE',
    answers: posting.questions.filter((q) => q.required).map((q) => ({ questionId: q.id, answer: 'Yes.' })),
  };
}

async function worker(w, postings) {
  const targets = postings.map(target);
  const mine = []; // { id, version, stage, known, plan }
  let n = 0;
  while (!stopping) {
    const movable = mine.filter((a) => a.plan.indexOf(a.stage) < a.plan.length - 1);
    if (movable.length > 0 && Math.random() < 0.5) {
      const app = movable[Math.floor(Math.random() * movable.length)];
      if (!app.known) {
        const read = await graphql(READ, { id: app.id }, true);
        const current = read.body?.data?.application;
        if (!current) { await sleep(200); continue; }
        Object.assign(app, { version: current.version, stage: current.currentStage.id, known: true });
        continue;
      }
      const to = app.plan[app.plan.indexOf(app.stage) + 1];
      const key = `${app.id}@${app.version}`;
      record({ w, op: 'move', key, application: app.id, expectedVersion: app.version, toStage: to, phase: 'sent' });
      const reply = await graphql(MOVE, { input: { applicationId: app.id, stageId: to, expectedVersion: app.version } }, true);
      const result = outcome(reply, 'moveApplicationToStage');
      record({ w, op: 'move', key, application: app.id, expectedVersion: app.version, toStage: to,
        phase: result.phase, status: reply.status, code: result.code, ms: reply.ms, retryAfter: reply.retryAfter });
      if (result.phase === 'ack') {
        app.version = result.payload.application.version;
        app.stage = result.payload.application.currentStage.id;
      } else {
        app.known = false;
        if (result.phase === 'failed') await sleep(100);
      }
    } else {
      const posting = targets[n % targets.length];
      const email = `fault-${run}-${w}-${n++}@example.com`;
      record({ w, op: 'apply', key: email, phase: 'sent' });
      const reply = await graphql(APPLY, {
        input: { postingId: posting.id, email, name: `Fault ${w}-${n}`, countryCode: posting.country, consent: true, answers: posting.answers },
      }, false);
      const result = outcome(reply, 'applyToPosting');
      const application = result.payload?.receipt?.applicationId;
      record({ w, op: 'apply', key: email, phase: result.phase, status: reply.status, code: result.code,
        ms: reply.ms, retryAfter: reply.retryAfter, application });
      if (application) {
        // A new application is at the first stage, version 1.
        mine.push({ id: application, version: 1, stage: posting.plan[0], known: true, plan: posting.plan });
      } else if (result.phase === 'failed') {
        await sleep(100);
      }
    }
  }
}

const postings = await discover();
console.error(`writer: run ${run}, ${workers} workers on ${postings.length} posting(s)`);
await Promise.all(Array.from({ length: workers }, (_, w) => worker(w, postings)));
console.error('writer: stopped');
