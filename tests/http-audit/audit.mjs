// Runs every GraphQL-over-HTTP audit of the graphql-http package against a
// running hiregraph and fails when a MUST or a SHOULD audit fails. MAY
// audits are reported but never fail the run.
//
//   node audit.mjs http://127.0.0.1:8000/graphql
//
// An optional second argument is a bearer token sent with every request.

import { serverAudits } from 'graphql-http';

const url = process.argv[2] ?? process.env.HIREGRAPH_URL;
const token = process.argv[3] ?? process.env.HIREGRAPH_TOKEN;
if (!url) {
  console.error('usage: node audit.mjs <GraphQL endpoint URL> [bearer token]');
  process.exit(2);
}

/** fetch, with the bearer token when one is given. */
function fetchFn(input, init = {}) {
  if (!token) {
    return fetch(input, init);
  }
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

const counts = { passed: 0, failed: 0, mayFailed: 0 };
for (const audit of serverAudits({ url, fetchFn })) {
  const level = audit.name.split(' ')[0];
  let result;
  try {
    result = await audit.fn();
  } catch (error) {
    // A fatal error (such as the server being unreachable) fails any audit.
    result = { status: 'error', reason: `fatal: ${error?.message ?? error}` };
  }
  if (result.status === 'ok') {
    counts.passed += 1;
    console.log(`ok      ${audit.id}  ${audit.name}`);
    continue;
  }
  let detail = '';
  if (result.response) {
    const type = result.response.headers?.get('content-type') ?? '';
    detail = ` [HTTP ${result.response.status} ${type}]`;
  }
  if (level === 'MAY') {
    counts.mayFailed += 1;
    console.log(`may    ${audit.id}  ${audit.name}: ${result.reason}${detail}`);
  } else {
    counts.failed += 1;
    console.log(`FAILED  ${audit.id}  ${audit.name}: ${result.reason}${detail}`);
  }
}

console.log(
  `\n${counts.mayFailed} optional (MAY) audit(s) not met; ` +
    `MUST and SHOULD audits: ${counts.failed === 0 ? 'all met' : `${counts.failed} failed`}`,
);
console.log(`audit: ${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed === 0 ? 0 : 1);
