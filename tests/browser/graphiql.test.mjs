// GraphiQL in a real browser: starts `hiregraph serve` (production mode, a
// scratch SQLite database with the demo data), opens GraphiQL in Debian's
// Chromium, pastes a staff token, reloads (the token must be kept), runs the
// "open postings" example and checks the demo posting in the result, then
// saves a screenshot to docs/graphiql.png.
//
// Fails on any request to another origin, any Content-Security-Policy
// violation, any uncaught error and any console error (but the 401s of the
// first, anonymous visit: a production server lets no anonymous caller
// introspect).
//
//   node --test graphiql.test.mjs
//
// Environment: HIREGRAPH_BIN (default target/debug/hiregraph), CHROMIUM
// (default /usr/bin/chromium), SCREENSHOT (default docs/graphiql.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const binary = path.resolve(root, process.env.HIREGRAPH_BIN || 'target/debug/hiregraph');
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
const screenshot = path.resolve(root, process.env.SCREENSHOT || 'docs/graphiql.png');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the server; resolves to { base, token, stop }. */
async function startServer() {
  const dir = mkdtempSync(path.join(tmpdir(), 'hiregraph-browser-'));
  const secret = `browser-${randomBytes(16).toString('hex')}`;
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'HIREGRAPH_JWT_SECRET', 'HIREGRAPH_JWT_PUBLIC_KEYS', 'HIREGRAPH_JWT_JWKS_FILE']) {
    delete env[name];
  }
  Object.assign(env, {
    NO_COLOR: '1',
    RUST_LOG: 'info',
    DATABASE_URL: `sqlite://${dir}/browser.db?mode=rwc`,
    HIREGRAPH_LISTEN: '127.0.0.1:0',
    HIREGRAPH_DEMO_DATA: 'always',
    HIREGRAPH_JWT_SECRET: secret,
  });
  const child = spawn(binary, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const line = log.split('\n').find((l) => l.includes('serving GraphQL'));
    const address = line?.match(/127\.0\.0\.1:\d+/)?.[0];
    if (address) {
      const ready = await fetch(`http://${address}/readyz`).then((r) => r.ok, () => false);
      if (ready) {
        const token = execFileSync(binary, ['token', '--user', 'admin@hiregraph.example', '--role', 'ADMIN'], {
          env,
          encoding: 'utf8',
        })
          .trim()
          .split('\n')
          .pop()
          .trim();
        return { base: `http://${address}`, token, stop };
      }
    }
    await sleep(250);
  }
  await stop();
  throw new Error(`hiregraph serve did not become ready:\n${log}`);
}

test('GraphiQL runs an example query, from our origin only', { timeout: 120_000 }, async (t) => {
  const server = await startServer();
  t.after(server.stop);
  const origin = new URL(server.base).origin;
  const host = new URL(server.base).host;

  const browser = await chromium.launch({
    executablePath: browserPath,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();

  const foreign = [];
  const errors = [];
  let anonymous = true;
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.origin !== origin) foreign.push(request.url());
  });
  page.on('websocket', (socket) => {
    const url = new URL(socket.url());
    if (url.host !== host) foreign.push(socket.url());
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (anonymous && /status of 401/.test(text)) return;
    errors.push(`console: ${text}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !(anonymous && response.status() === 401)) {
      errors.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  await page.exposeFunction('reportViolation', (text) => errors.push(`CSP: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.reportViolation(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });

  // The page and its policy.
  const response = await page.goto(`${server.base}/graphql`);
  assert.equal(response.status(), 200);
  const policy = response.headers()['content-security-policy'] ?? '';
  assert.match(policy, /script-src 'self';/);
  assert.match(policy, /style-src 'self';/);
  assert.doesNotMatch(policy, /unsafe/);

  // Paste the token once.
  await page.locator('#hg-token').fill(`Bearer ${server.token}`);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Signed in: requests send your token').waitFor();

  // It is kept: after a reload the page is signed in, and from now on
  // nothing may fail at all.
  anonymous = false;
  await page.reload();
  await page.getByText('Signed in: requests send your token').waitFor();
  await page.locator('.graphiql-container').waitFor();

  // The examples are open as tabs; run "My open postings".
  const tab = page.locator('.graphiql-tab', { hasText: 'MyOpenPostings' });
  await tab.waitFor();
  await tab.click();
  // The tab's query is in the editor, and the schema has loaded (the docs
  // and explorer need it), before running.
  await page.locator('.graphiql-query-editor').getByText('query MyOpenPostings').first().waitFor();
  await page.waitForLoadState('networkidle');
  const result = page.locator('.graphiql-response');
  const answered = result.getByText('Senior Backend Engineer', { exact: false }).first();
  // A click while the editor is still settling can be lost: run it again
  // until the answer shows, three times at most.
  let shown = false;
  let failure;
  for (let attempt = 0; attempt < 3 && !shown; attempt += 1) {
    await page.locator('.graphiql-execute-button').click();
    try {
      await answered.waitFor({ timeout: 10_000 });
      shown = true;
    } catch (error) {
      failure = error;
    }
  }
  if (!shown) {
    await page.screenshot({ path: `${screenshot}.failed.png` });
    throw new Error(`${failure?.message}\nerrors: ${errors.join('\n')}\nforeign: ${foreign.join('\n')}`);
  }
  const text = await result.innerText();
  assert.doesNotMatch(text, /"errors"/, text);

  // The explorer plugin builds queries by clicking: open it for the picture.
  await page.getByRole('button', { name: /GraphiQL Explorer/i }).first().click();
  await page.locator('.graphiql-plugin .docExplorerWrap').first().waitFor();
  await page.waitForTimeout(300);

  mkdirSync(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot });

  assert.deepEqual(foreign, [], 'requests to other origins');
  assert.deepEqual(errors, [], 'console errors, uncaught errors or CSP violations');
});
