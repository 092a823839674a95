// The benchmark itself, driven by bench/run.sh once the database is migrated
// and seeded: start the server, find the variables each operation needs,
// check each operation once, then load it with wrk and report.
//
// Everything comes from the environment run.sh sets (see `config` below).
// Prints progress on stderr, the Markdown table on stdout, and writes the
// JSON results to BENCH_JSON. Exits non-zero when a check fails (and, in
// smoke mode, when a statement count differs from the expected one).

import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, openSync, existsSync } from "node:fs";
import { join } from "node:path";
import os from "node:os";
import net from "node:net";

const env = process.env;

// A port no one listens on now (when BENCH_PORT is not set).
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
const config = {
  bin: env.BENCH_BIN,
  db: env.BENCH_DB,
  databaseUrl: env.DATABASE_URL,
  scale: env.BENCH_SCALE,
  duration: Number(env.BENCH_DURATION),
  connections: Number(env.BENCH_CONNECTIONS),
  threads: Number(env.BENCH_THREADS || 2),
  smoke: env.BENCH_SMOKE === "1",
  dir: env.BENCH_DIR, // bench/
  work: env.BENCH_WORK, // a scratch directory
  port: Number(env.BENCH_PORT || 0) || (await freePort()),
  json: env.BENCH_JSON,
  pgUrl: env.BENCH_PG_URL, // for pgbench/psql (Postgres only)
  skipSql: env.BENCH_SKIP_SQL === "1",
  seedSeconds: Number(env.BENCH_SEED_SECONDS || 0),
};
const base = `http://127.0.0.1:${config.port}`;
const url = `${base}/graphql`;
const failures = [];

function log(...args) {
  console.error("[bench]", ...args);
}

function fail(message) {
  failures.push(message);
  log("FAIL:", message);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------- server

function startServer() {
  const logFile = openSync(join(config.work, "server.log"), "a");
  const started = process.hrtime.bigint();
  const child = spawn(config.bin, ["serve"], {
    env: {
      ...env,
      HIREGRAPH_LISTEN: `127.0.0.1:${config.port}`,
      HIREGRAPH_DEMO_DATA: "never",
      HIREGRAPH_APPLY_RATE_PER_ADDRESS: "off",
      HIREGRAPH_APPLY_RATE_PER_EMAIL: "off",
      RUST_LOG: env.BENCH_RUST_LOG || "warn",
    },
    stdio: ["ignore", logFile, logFile],
  });
  return { child, started };
}

async function waitReady(server) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(`the server exited (${server.child.exitCode}); see ${config.work}/server.log`);
    }
    try {
      const response = await fetch(`${base}/readyz`);
      if (response.status === 200) {
        return Number(process.hrtime.bigint() - server.started) / 1e6;
      }
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  throw new Error("the server was not ready within 120 s");
}

function procStatus(pid) {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name) => Number((text.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m")) || [])[1] || 0);
  return { hwmKiB: kib("VmHWM"), rssKiB: kib("VmRSS") };
}

function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

// The server's counters: SQL statements run, and GraphQL operations served
// (all outcomes) by operation name.
async function counters() {
  const text = await (await fetch(`${base}/metrics`)).text();
  const match = text.match(/^hiregraph_sql_statements_total (\d+)/m);
  if (!match) throw new Error("/metrics has no hiregraph_sql_statements_total");
  const operations = {};
  for (const m of text.matchAll(/^hiregraph_graphql_requests_total\{operation="([^"]*)",outcome="[^"]*"\} (\d+)/gm)) {
    operations[m[1]] = (operations[m[1]] || 0) + Number(m[2]);
  }
  return { statements: Number(match[1]), operations };
}

// Counters once the requests cut off at the end of a run have finished: the
// statement count has stopped moving.
async function settledCounters() {
  let last = await counters();
  for (let i = 0; i < 100; i += 1) {
    await sleep(100);
    const now = await counters();
    if (now.statements === last.statements) return now;
    last = now;
  }
  return last;
}

// ---------------------------------------------------------------- GraphQL

function token(email, role) {
  const out = spawnSync(config.bin, ["token", "--user", email, "--role", role, "--ttl", "12h"], {
    env,
    encoding: "utf8",
  });
  if (out.status !== 0) throw new Error(`hiregraph token failed: ${out.stderr}`);
  // The token is the last non-empty line (the command may print more).
  const lines = out.stdout.trim().split("\n");
  return lines[lines.length - 1].trim().replace(/^Authorization: Bearer /, "");
}

async function gql(query, variables, bearer) {
  const headers = { "content-type": "application/json" };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const response = await fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  return { status: response.status, body };
}

async function must(query, variables, bearer) {
  const { status, body } = await gql(query, variables, bearer);
  if (status !== 200 || body.errors) {
    throw new Error(`discovery query failed (${status}): ${JSON.stringify(body).slice(0, 500)}\n${query}`);
  }
  return body.data;
}

function rawKey(id) {
  const [kind, key] = Buffer.from(id, "base64url").toString("utf8").split(":");
  return { kind, key: Number(key) };
}

function mondayOf(iso) {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7;
  const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day));
  return monday;
}

// Finds what each operation needs, as the admin.
async function discover(admin) {
  const found = {};
  // A posting and stage with the most active applications among a sample.
  const active = await must(
    `{ applications(first: 100, filter: {statuses: [ACTIVE]}) { nodes { posting { id slug status } currentStage { id } } } }`,
    {},
    admin,
  );
  const pairs = new Map();
  for (const n of active.applications.nodes) {
    const k = `${n.posting.id} ${n.currentStage.id}`;
    pairs.set(k, (pairs.get(k) || 0) + 1);
  }
  const best = [...pairs.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!best) throw new Error("no active application in the database");
  [found.postingId, found.stageId] = best[0].split(" ");

  const open = await must(
    `{ postings(first: 20, filter: {statuses: [OPEN]}) { nodes { id slug regions { countries { code } } questions { id required } } } }`,
    {},
    admin,
  );
  if (open.postings.nodes.length === 0) throw new Error("no open posting");
  // The slug of an open posting (visible anonymously); the most recent one.
  found.openPosting = open.postings.nodes[0];
  found.slug = found.openPosting.slug;

  const candidates = await must(
    `{ candidates(first: 100) { nodes { id applications(first: 20) { totalCount } } } }`,
    {},
    admin,
  );
  const candidate = candidates.candidates.nodes.sort(
    (a, b) => b.applications.totalCount - a.applications.totalCount,
  )[0];
  if (!candidate) throw new Error("no candidate");
  found.candidateId = candidate.id;
  found.candidateApplications = candidate.applications.totalCount;

  // An interviewer with the most scheduled interviews in a sample, and the
  // week of the first of them.
  const interviews = await must(
    `{ interviews(first: 100, filter: {statuses: [SCHEDULED]}) { nodes { startsAt interviewers { id } } } }`,
    {},
    admin,
  );
  const byPerson = new Map();
  for (const i of interviews.interviews.nodes) {
    for (const p of i.interviewers) {
      if (!byPerson.has(p.id)) byPerson.set(p.id, []);
      byPerson.get(p.id).push(i.startsAt);
    }
  }
  const person = [...byPerson.entries()].sort((a, b) => b[1].length - a[1].length)[0];
  if (!person) throw new Error("no scheduled interview with an interviewer");
  found.interviewerId = person[0];
  const monday = mondayOf(person[1][0]);
  found.from = monday.toISOString();
  found.to = new Date(monday.getTime() + 7 * 86400_000).toISOString();
  return found;
}

// ---------------------------------------------------------------- operations

function operation(name) {
  return readFileSync(join(config.dir, "operations", `${name}.graphql`), "utf8");
}

// Each read operation: its variables, who runs it, and what a right answer
// looks like (a message when it is wrong).
function operations(found, admin) {
  return [
    {
      name: "careers",
      variables: {},
      bearer: null,
      check: (d) => (d.postings?.nodes?.length > 0 && d.postings.nodes.every((p) => p.slug && p.title) ? null : "no open posting listed"),
    },
    {
      name: "posting_by_slug",
      variables: { slug: found.slug },
      bearer: null,
      check: (d) =>
        d.posting?.title && d.posting.interviewPlan?.length > 0 ? null : "the posting, with its plan, is missing",
    },
    {
      name: "pipeline",
      variables: { postingId: found.postingId, stageId: found.stageId },
      bearer: admin,
      check: (d) =>
        d.node?.applications?.nodes?.length > 0 && d.node.applications.nodes.every((a) => a.candidate?.name && a.history?.length > 0)
          ? null
          : "no active application at the stage (or one without candidate or history)",
    },
    {
      name: "candidate",
      variables: { id: found.candidateId },
      bearer: admin,
      check: (d) =>
        d.candidate?.name && d.candidate.applications?.nodes?.length === Math.min(found.candidateApplications, 20) && found.candidateApplications > 0
          ? null
          : "the candidate or their applications are missing",
    },
    {
      name: "interviewer_week",
      variables: { interviewer: found.interviewerId, from: found.from, to: found.to },
      bearer: admin,
      check: (d) =>
        d.interviews?.nodes?.length > 0 && d.interviews.nodes.every((i) => i.interviewers.length > 0 && i.application?.candidate?.name)
          ? null
          : "no interview in the interviewer's week",
    },
    {
      name: "funnel",
      variables: { postingId: found.postingId },
      bearer: admin,
      check: (d) =>
        d.node?.funnel?.stages?.length > 0 && d.node.funnel.totalApplications > 0 ? null : "the funnel is empty",
    },
  ];
}

function wrk({ script, args, connections, threads, duration }) {
  const out = spawnSync(
    "wrk",
    [
      "-t", String(threads),
      "-c", String(connections),
      "-d", `${duration}s`,
      "--timeout", "30s",
      "--latency",
      "-s", script,
      url,
      "--",
      ...args,
    ],
    { encoding: "utf8", maxBuffer: 64 << 20 },
  );
  const line = (out.stdout || "").split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (out.status !== 0 || !line) {
    throw new Error(`wrk failed (${out.status}): ${out.stderr}\n${out.stdout}`);
  }
  const result = JSON.parse(line.slice("BENCH_RESULT ".length));
  result.rps = result.requests / (result.duration_us / 1e6);
  return result;
}

async function load(server, name, body, bearer, { connections = config.connections, duration = config.duration } = {}) {
  const bodyFile = join(config.work, `${name}.json`);
  writeFileSync(bodyFile, JSON.stringify(body));
  const resetOk = resetPeak(server.child.pid);
  const before = await settledCounters();
  const result = wrk({
    script: join(config.dir, "lib", "read.lua"),
    args: [bodyFile, bearer || "-"],
    connections,
    threads: Math.min(config.threads, connections),
    duration,
  });
  const after = await settledCounters();
  const status = procStatus(server.child.pid);
  // Divided by the requests the server ran (wrk's count leaves out those cut
  // off at the end, whose statements the counter has seen).
  const operationName = (body.query.match(/^\s*(?:query|mutation)\s+(\w+)/m) || [])[1] || "anonymous";
  const served = (after.operations[operationName] || 0) - (before.operations[operationName] || 0);
  const ran = after.statements - before.statements;
  return {
    ...result,
    served,
    statements: ran,
    statements_per_request_under_load: result.requests > 0 ? ran / result.requests : null,
    peak_rss_mib: status.hwmKiB / 1024,
    peak_rss_reset: resetOk,
  };
}

// The statements one request runs: the operation run `times` times, one
// after another, with the counter read before and after. Exact, since
// batches form by the shape of a query and not by timing (api/src/loaders/batch.rs).
async function probeStatements(body, bearer, times = 3) {
  const before = await settledCounters();
  for (let i = 0; i < times; i += 1) {
    const { status, body: answer } = await gql(body.query, body.variables, bearer);
    if (status !== 200 || answer.errors) throw new Error(`probe failed: ${JSON.stringify(answer).slice(0, 300)}`);
  }
  const after = await settledCounters();
  return (after.statements - before.statements) / times;
}

// ---------------------------------------------------------------- pagination

const PAGE_QUERY = `query ApplicationsPage($after: String) {
  applications(first: 50, after: $after) {
    pageInfo { endCursor hasNextPage }
    nodes { id status appliedAt candidate { name } posting { title } currentStage { name } }
  }
}`;

async function walkPages(admin, target) {
  const walk = `query Walk($after: String) { applications(first: 50, after: $after) { pageInfo { endCursor hasNextPage } } }`;
  let after = null;
  let page = 1;
  while (page < target) {
    const data = await must(walk, { after }, admin);
    if (!data.applications.pageInfo.hasNextPage) break;
    after = data.applications.pageInfo.endCursor;
    page += 1;
  }
  return { page, after };
}

// ---------------------------------------------------------------- mutations

const EU = new Set("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split(" "));

async function mutationPlan(admin, found, wanted) {
  // Active applications not at their last stage, read page by page.
  const plans = new Map();
  const euPostings = new Map();
  const moves = [];
  const meetings = [];
  let after = null;
  for (let page = 0; page < 400 && (moves.length < wanted || meetings.length < wanted); page += 1) {
    const data = await must(
      `query ($after: String) { applications(first: 100, after: $after, filter: {statuses: [ACTIVE]}) {
        pageInfo { endCursor hasNextPage }
        nodes { id version currentStage { id position mode } posting { id } candidate { country { code } }
          payRangeDisclosures { how } } } }`,
      { after },
      admin,
    );
    const missing = [...new Set(data.applications.nodes.map((n) => n.posting.id))].filter((id) => !plans.has(id));
    if (missing.length > 0) {
      const p = await must(
        `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Posting { id interviewPlan { id position }
          regions { everywhere countries { code } } } } }`,
        { ids: missing },
        admin,
      );
      for (const posting of p.nodes) {
        plans.set(posting.id, posting.interviewPlan);
        // Open where the EU directive applies: the range is due before the first interview.
        euPostings.set(posting.id, posting.regions.some((r) => r.everywhere || r.countries.some((c) => EU.has(c.code))));
      }
    }
    for (const n of data.applications.nodes) {
      const plan = plans.get(n.posting.id) || [];
      const next = plan.find((s) => s.position === n.currentStage.position + 1);
      // Alternate: meeting stages go to scheduling half the time.
      // Booking needs the pay range disclosed first where the EU directive
      // covers the candidate or the posting.
      const bookable =
        n.payRangeDisclosures.length > 0 || (!EU.has(n.candidate.country?.code) && !euPostings.get(n.posting.id));
      if (n.currentStage.mode === "SYNC" && bookable && meetings.length <= moves.length) {
        meetings.push(n.id);
      } else if (next) {
        moves.push({ id: n.id, stageId: next.id, version: n.version });
      }
    }
    if (!data.applications.pageInfo.hasNextPage) break;
    after = data.applications.pageInfo.endCursor;
  }
  const users = await must(
    `{ users(first: 5, filter: {roles: [INTERVIEWER], active: true}) { nodes { id } } }`,
    {},
    admin,
  );
  const interviewer = users.users.nodes[0]?.id;
  const posting = found.openPosting;
  const country = posting.regions.flatMap((r) => r.countries.map((c) => c.code)).find((c) => !EU.has(c)) ||
    posting.regions[0]?.countries[0]?.code;
  const answers = posting.questions.filter((q) => q.required).map((q) => ({ questionId: q.id, answer: "Yes." }));
  const lines = [];
  lines.push(
    "APPLY\t" +
      JSON.stringify({
        query: `mutation Apply($input: ApplyToPostingInput!) { applyToPosting(input: $input) { receipt { applicationId alreadyApplied } userErrors { field code message } } }`,
        variables: { input: { slug: posting.slug, email: "%EMAIL%", name: "Bench Candidate", countryCode: country, consent: true, answers } },
      }),
  );
  for (const m of moves) {
    lines.push(
      "MOVE\t" +
        JSON.stringify({
          query: `mutation Move($input: MoveApplicationToStageInput!) { moveApplicationToStage(input: $input) { application { version } userErrors { field code message } } }`,
          variables: { input: { applicationId: m.id, stageId: m.stageId, expectedVersion: m.version } },
        }),
    );
  }
  if (interviewer) {
    for (const id of meetings) {
      lines.push(
        "SCHED\t" +
          JSON.stringify({
            query: `mutation Schedule($input: ScheduleInterviewInput!) { scheduleInterview(input: $input) { interview { id } userErrors { field code message } } }`,
            variables: {
              input: {
                applicationId: id,
                startsAt: "%START%",
                endsAt: "%END%",
                timeZone: "UTC",
                interviewerIds: [interviewer],
                meetingUrl: "https://meet.example.com/bench",
              },
            },
          }),
      );
    }
  }
  // Slots start a year from now on the hour, after any seeded interview.
  const slot0 = Math.floor(Date.now() / 3600_000) * 3600 + 366 * 86400;
  lines.push(`SLOT0\t${slot0}`);
  const file = join(config.work, "mutations.plan");
  writeFileSync(file, lines.join("\n") + "\n");
  return { file, moves: moves.length, meetings: interviewer ? meetings.length : 0 };
}

// ---------------------------------------------------------------- pgbench

function pgbench(name, vars) {
  const file = join(config.dir, "sql", `${name}.sql`);
  if (!existsSync(file)) return null;
  const args = ["-n", "-f", file, "-c", String(config.connections), "-j", "2", "-T", String(config.duration)];
  for (const [k, v] of Object.entries(vars)) args.push("-D", `${k}=${v}`);
  args.push(config.pgUrl);
  const out = spawnSync("pgbench", args, { encoding: "utf8", maxBuffer: 64 << 20 });
  if (out.status !== 0) {
    fail(`pgbench ${name} failed: ${out.stderr.slice(0, 500)}`);
    return null;
  }
  const tps = Number((out.stdout.match(/tps = ([\d.]+)/) || [])[1]);
  const latency = Number((out.stdout.match(/latency average = ([\d.]+) ms/) || [])[1]);
  const failed = Number((out.stdout.match(/number of failed transactions: (\d+)/) || [0, 0])[1]);
  if (failed > 0) fail(`pgbench ${name}: ${failed} failed transactions`);
  return { tps, latency_avg_ms: latency };
}

// Checks each SQL script once with psql: it must run and return rows.
function checkSql(name, vars) {
  const file = join(config.dir, "sql", `${name}.sql`);
  if (!existsSync(file)) return;
  // psql does not know pgbench's \set: turn them into psql variables.
  const text = readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => !l.startsWith("\\set"))
    .join("\n");
  const args = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-d", config.pgUrl];
  for (const [k, v] of Object.entries(vars)) args.push("-v", `${k}=${v}`);
  const out = spawnSync("psql", args, { input: text, encoding: "utf8", maxBuffer: 64 << 20 });
  if (out.status !== 0) fail(`SQL ${name} does not run: ${out.stderr.slice(0, 500)}`);
  else if (out.stdout.trim() === "") fail(`SQL ${name} returns no rows`);
}

// ---------------------------------------------------------------- report

const fmt = (n, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n) ? "–" : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (us) => fmt(us / 1000, us < 10000 ? 2 : 1);

function markdown(results) {
  const r = results;
  const lines = [];
  lines.push(
    `### ${r.database === "postgres" ? "Postgres" : "SQLite"}, scale ${r.scale}, ${r.connections} connections, ${r.duration} s per operation`,
  );
  lines.push("");
  lines.push(`${r.machine.cpus} × ${r.machine.cpu}, ${fmt(r.machine.memory_gib, 1)} GiB RAM, ${r.machine.os}; ${r.git}; ${r.date}.`);
  lines.push(
    `Data: ${Object.entries(r.rows).map(([k, v]) => `${fmt(v)} ${k}`).join(", ")}.` +
      (r.seed_seconds ? ` Seeding took ${fmt(r.seed_seconds, 0)} s.` : ""),
  );
  lines.push(`Start-up to ready (\`serve\` to the first 200 from \`/readyz\`): **${fmt(r.startup_ms, 0)} ms**.`);
  lines.push("");
  const sql = r.database === "postgres" && r.reads.some((o) => o.sql);
  lines.push(
    `| Operation | req/s | p50 ms | p99 ms | SQL statements / request | peak RSS MiB |${sql ? " SQL floor tx/s | API / SQL |" : ""}`,
  );
  lines.push(`|---|---:|---:|---:|---:|---:|${sql ? "---:|---:|" : ""}`);
  for (const o of r.reads) {
    const row = [
      `\`${o.name}\``,
      fmt(o.rps, 0),
      ms(o.p50_us),
      ms(o.p99_us),
      fmt(o.statements_per_request, 2),
      fmt(o.peak_rss_mib, 0),
    ];
    if (sql) row.push(o.sql ? fmt(o.sql.tps, 0) : "–", o.sql ? `${fmt((100 * o.rps) / o.sql.tps, 0)} %` : "–");
    lines.push(`| ${row.join(" | ")} |`);
  }
  if (r.mutations) {
    const m = r.mutations;
    const row = [
      "mutation mix",
      fmt(m.rps, 0),
      ms(m.p50_us),
      ms(m.p99_us),
      fmt(m.statements_per_request, 2),
      fmt(m.peak_rss_mib, 0),
    ];
    if (sql) row.push("–", "–");
    lines.push(`| ${row.join(" | ")} |`);
  }
  lines.push("");
  if (r.mutations) {
    const m = r.mutations;
    lines.push(
      `Mutation mix: ${fmt(m.ok.apply)} applications, ${fmt(m.ok.move)} stage moves and ${fmt(m.ok.schedule)} interviews booked ` +
        `(of ${fmt(m.sent.apply)}, ${fmt(m.sent.move)} and ${fmt(m.sent.schedule)} sent); ${fmt(m.failed)} failed.`,
    );
  }
  if (r.pagination) {
    const p = r.pagination;
    lines.push(
      `Keyset paging, \`applications(first: 50)\` as admin, ${p.connections} connection(s): ` +
        `page 1 p50 ${ms(p.first.p50_us)} ms / p99 ${ms(p.first.p99_us)} ms; ` +
        `page ${fmt(p.page)} p50 ${ms(p.deep.p50_us)} ms / p99 ${ms(p.deep.p99_us)} ms.`,
    );
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------- main

async function main() {
  const results = {
    database: config.db,
    scale: config.scale,
    connections: config.connections,
    duration: config.duration,
    smoke: config.smoke,
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    git: spawnSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).stdout.trim(),
    seed_seconds: config.seedSeconds,
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model.trim(),
      memory_gib: os.totalmem() / 2 ** 30,
      os: `${os.type()} ${os.release()}`,
    },
    rows: {},
    reads: [],
  };
  const server = startServer();
  let exitCode = 0;
  try {
    results.startup_ms = await waitReady(server);
    log(`ready after ${results.startup_ms.toFixed(0)} ms (pid ${server.child.pid})`);
    const admin = token("admin@hiregraph.example", "ADMIN");

    const counts = await must(
      `{ postings(first: 1) { totalCount } candidates(first: 1) { totalCount } applications(first: 1) { totalCount } interviews(first: 1) { totalCount } }`,
      {},
      admin,
    );
    results.rows = {
      postings: counts.postings.totalCount,
      candidates: counts.candidates.totalCount,
      applications: counts.applications.totalCount,
      interviews: counts.interviews.totalCount,
    };
    log("rows:", JSON.stringify(results.rows));

    const found = await discover(admin);
    results.variables = found;
    log("variables:", JSON.stringify({ ...found, openPosting: undefined }));
    const ops = operations(found, admin);

    // Every operation once, checked.
    for (const op of ops) {
      const { status, body } = await gql(operation(op.name), op.variables, op.bearer);
      let problem = null;
      if (status !== 200) problem = `HTTP ${status}`;
      else if (body.errors) problem = `errors: ${JSON.stringify(body.errors).slice(0, 400)}`;
      else problem = op.check(body.data || {});
      if (problem) fail(`${op.name}: ${problem}`);
      else log(`${op.name}: checked`);
    }
    if (failures.length > 0) throw new Error("an operation answered wrongly; not loading it");

    // The SQL floor: check each script once before loading anything.
    const sqlVars = {
      posting_id: rawKey(found.postingId).key,
      stage_id: rawKey(found.stageId).key,
      candidate_id: rawKey(found.candidateId).key,
      interviewer_id: rawKey(found.interviewerId).key,
      slug: `'${found.slug.replace(/'/g, "''")}'`,
      week_from: `'${found.from}'`,
      week_to: `'${found.to}'`,
    };
    const runSql = config.db === "postgres" && !config.skipSql && config.pgUrl;
    if (runSql) for (const op of ops) checkSql(op.name, sqlVars);

    // Load each read operation.
    for (const op of ops) {
      log(`loading ${op.name} for ${config.duration} s at ${config.connections} connections`);
      const body = { query: operation(op.name), variables: op.variables };
      const perRequest = await probeStatements(body, op.bearer);
      const r = await load(server, op.name, body, op.bearer);
      const entry = { name: op.name, ...r, statements_per_request: perRequest };
      if (r.failed > 0 || r.socket_errors > 0 || r.non_2xx > 0) {
        fail(`${op.name}: ${r.failed} failed responses, ${r.socket_errors} socket errors, ${r.non_2xx} non-2xx; first: ${r.first_failure}`);
      }
      if (r.requests === 0) fail(`${op.name}: no request completed`);
      if (runSql) {
        log(`pgbench ${op.name}`);
        entry.sql = pgbench(op.name, sqlVars);
        if (entry.sql) entry.api_over_sql = r.rps / entry.sql.tps;
      }
      log(
        `${op.name}: ${r.rps.toFixed(0)} req/s, p50 ${(r.p50_us / 1000).toFixed(2)} ms, p99 ${(r.p99_us / 1000).toFixed(2)} ms, ` +
          `${entry.statements_per_request?.toFixed(2)} statements/request, peak RSS ${r.peak_rss_mib.toFixed(0)} MiB` +
          (entry.sql ? `, SQL ${entry.sql.tps.toFixed(0)} tx/s` : ""),
      );
      results.reads.push(entry);
    }

    // Keyset paging: page 1 against a deep page.
    const target = config.smoke ? 20 : 1000;
    log(`walking to page ${target} of applications(first: 50)`);
    const { page, after } = await walkPages(admin, target);
    const pageDuration = Math.max(1, Math.min(config.duration, 10));
    const firstPage = await load(server, "page_first", { query: PAGE_QUERY, variables: { after: null } }, admin, {
      connections: 1,
      duration: pageDuration,
    });
    const deepPage = await load(server, "page_deep", { query: PAGE_QUERY, variables: { after } }, admin, {
      connections: 1,
      duration: pageDuration,
    });
    for (const [label, r] of [["page 1", firstPage], [`page ${page}`, deepPage]]) {
      if (r.failed > 0 || r.non_2xx > 0 || r.socket_errors > 0) fail(`paging ${label}: ${r.failed} failed; first: ${r.first_failure}`);
    }
    results.pagination = { page, connections: 1, first: firstPage, deep: deepPage };
    log(`paging: page 1 p50 ${(firstPage.p50_us / 1000).toFixed(2)} ms, page ${page} p50 ${(deepPage.p50_us / 1000).toFixed(2)} ms`);

    // The mutation mix, last: it changes the data.
    const wanted = Math.ceil((config.smoke ? 200 : 400) * config.duration);
    const plan = await mutationPlan(admin, found, wanted);
    log(`mutation mix: ${plan.moves} moves and ${plan.meetings} meetings planned`);
    const before = await settledCounters();
    resetPeak(server.child.pid);
    const mix = wrk({
      script: join(config.dir, "lib", "mutations.lua"),
      args: [plan.file, admin, String(config.threads), `${Date.now().toString(36)}`],
      connections: config.connections,
      threads: config.threads,
      duration: config.duration,
    });
    const after2 = await settledCounters();
    const served = ["Apply", "Move", "Schedule"].reduce(
      (sum, name) => sum + (after2.operations[name] || 0) - (before.operations[name] || 0),
      0,
    );
    results.mutations = {
      ...mix,
      planned: { moves: plan.moves, meetings: plan.meetings },
      served,
      statements: after2.statements - before.statements,
      statements_per_request: served > 0 ? (after2.statements - before.statements) / served : null,
      peak_rss_mib: procStatus(server.child.pid).hwmKiB / 1024,
    };
    if (mix.failed > 0 || mix.socket_errors > 0 || mix.non_2xx > 0) {
      fail(`mutation mix: ${mix.failed} failed, ${mix.socket_errors} socket errors, ${mix.non_2xx} non-2xx; first: ${mix.first_failure}`);
    }
    if (mix.ok.apply === 0 || (plan.moves > 0 && mix.ok.move === 0) || (plan.meetings > 0 && mix.ok.schedule === 0)) {
      fail(`mutation mix: some kind never succeeded: ${JSON.stringify(mix.ok)}`);
    }
    log(`mutation mix: ${mix.rps.toFixed(0)} req/s, ok ${JSON.stringify(mix.ok)}, sent ${JSON.stringify(mix.sent)}`);

    // Smoke: statement counts against the expected ones. They are counted
    // over requests run one after another, so they are exact: fewer is an
    // improvement to record, more a regression.
    const expected = JSON.parse(readFileSync(join(config.dir, "expected-statements.json"), "utf8"));
    for (const o of results.reads) {
      const count = expected[o.name];
      if (count === undefined) fail(`${o.name}: no expected count in bench/expected-statements.json`);
      else if (Math.abs(o.statements_per_request - count) > 0.05) {
        (config.smoke ? fail : (m) => log("WARNING:", m))(`${o.name}: ${o.statements_per_request.toFixed(2)} statements per request, expected ${count} (update bench/expected-statements.json if the change is intended)`);
      }
    }
  } catch (error) {
    fail(error.message);
  } finally {
    server.child.kill("SIGTERM");
  }
  results.failures = failures;
  if (config.json) writeFileSync(config.json, JSON.stringify(results, null, 2) + "\n");
  if (results.reads.length > 0) console.log(markdown(results));
  if (failures.length > 0) {
    log(`${failures.length} failure(s):`);
    for (const f of failures) log(" -", f);
    exitCode = 1;
  }
  process.exitCode = exitCode;
}

await main();
