// A steady mixed read load for a while, reporting each window's throughput,
// p50/p99 latency, errors and the server's resident memory:
//
//   node soak.mjs URL TOKEN SERVER_PID SECONDS [READERS] [WINDOW_SECONDS]
//
// The reads are the benchmark's operations (bench/operations/*.graphql) with
// variables found on the data at hand, on the newest open posting; the
// writers (writer.mjs) leave that posting alone, so what the readers read
// keeps its size and one window compares with the next. Prints one JSON line per window and a
// Markdown table at the end; exits 1 when a read failed, when memory grew by
// more than a fifth from the first window after warm-up to the last, or when
// the last window's p99 is more than twice the first's.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const [url, token, pid, secondsArg, readersArg, windowArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 600);
const readers = Number(readersArg ?? 8);
const windowSeconds = Number(windowArg ?? 60);
const operations = join(dirname(fileURLToPath(import.meta.url)), '..', 'operations');
const text = (name) => readFileSync(join(operations, `${name}.graphql`), 'utf8');

async function graphql(query, variables, auth) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(auth ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30000),
  });
  const body = await response.json();
  if (response.status !== 200 || body.errors) {
    throw new Error(`${response.status} ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
  }
  return body.data;
}

const found = await graphql(`{
  postings(first: 1, filter: { statuses: [OPEN] }) { nodes { id slug interviewPlan { id } } }
  candidates(first: 1) { nodes { id } }
  interviews(first: 1) { nodes { startsAt interviewers { id } } }
}`, {}, true);
const posting = found.postings.nodes[0];
const interview = found.interviews.nodes.find((i) => i.interviewers.length > 0);
const day = 24 * 3600 * 1000;
const week = interview && {
  interviewer: interview.interviewers[0].id,
  from: new Date(Date.parse(interview.startsAt) - 3 * day).toISOString(),
  to: new Date(Date.parse(interview.startsAt) + 4 * day).toISOString(),
};
const reads = [
  { name: 'careers', query: text('careers'), variables: {}, auth: false },
  { name: 'posting_by_slug', query: text('posting_by_slug'), variables: { slug: posting.slug }, auth: false },
  { name: 'pipeline', query: text('pipeline'), variables: { postingId: posting.id, stageId: posting.interviewPlan[0].id }, auth: true },
  { name: 'candidate', query: text('candidate'), variables: { id: found.candidates.nodes[0].id }, auth: true },
  { name: 'funnel', query: text('funnel'), variables: { postingId: posting.id }, auth: true },
  ...(week ? [{ name: 'interviewer_week', query: text('interviewer_week'), variables: week, auth: true }] : []),
];

const rss = () => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
};
let latencies = [];
let errors = 0;
let lastError = '';
const deadline = Date.now() + seconds * 1000;

async function reader(i) {
  let n = i;
  while (Date.now() < deadline) {
    const read = reads[n++ % reads.length];
    const started = performance.now();
    try {
      await graphql(read.query, read.variables, read.auth);
      latencies.push(performance.now() - started);
    } catch (error) {
      errors++;
      lastError = String(error);
    }
  }
}

const percentile = (sorted, p) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : 0;
const windows = [];
const sampler = setInterval(() => {
  const sorted = latencies.sort((a, b) => a - b);
  const window = {
    minute: +(((windows.length + 1) * windowSeconds) / 60).toFixed(2),
    requests: sorted.length,
    perSecond: +(sorted.length / windowSeconds).toFixed(1),
    p50: +percentile(sorted, 0.5).toFixed(1),
    p99: +percentile(sorted, 0.99).toFixed(1),
    errors,
    rssMiB: +rss().toFixed(1),
  };
  windows.push(window);
  console.log(JSON.stringify(window));
  latencies = [];
  errors = 0;
}, windowSeconds * 1000);

await Promise.all(Array.from({ length: readers }, (_, i) => reader(i)));
clearInterval(sampler);

console.log('\n| window end (min) | reads/s | p50 ms | p99 ms | errors | RSS MiB |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (const w of windows) {
  console.log(`| ${w.minute} | ${w.perSecond} | ${w.p50} | ${w.p99} | ${w.errors} | ${w.rssMiB} |`);
}
const failures = [];
if (windows.some((w) => w.errors > 0)) failures.push(`reads failed (last: ${lastError})`);
if (windows.length >= 3) {
  const first = windows[1];
  const last = windows.at(-1);
  if (last.rssMiB > first.rssMiB * 1.2) failures.push(`memory grew from ${first.rssMiB} to ${last.rssMiB} MiB`);
  if (last.p99 > first.p99 * 2 && last.p99 > 20) failures.push(`p99 went from ${first.p99} to ${last.p99} ms`);
}
if (failures.length) {
  console.error(`soak failed: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('memory flat, latency steady, no failed read');
