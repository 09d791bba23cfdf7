// The analyst console in a real browser: Debian's chromium driven by playwright-core, against
// the real `ledgerlens serve` on a random loopback port with a temporary data dir. A console
// user is made with `ledgerlens users add`, a statement is processed through the API, and the
// analyst signs in, opens the session, reads its charts and filters its transactions.
//
// Environment (all optional):
//   LEDGERLENS_BIN      the ledgerlens binary        (default: ../../target/debug/ledgerlens)
//   GEN_FIXTURES_BIN    the fixture generator        (default: ../../target/debug/gen-fixtures)
//   CHROMIUM            the browser executable       (default: /usr/bin/chromium)
//   UPDATE_README_SCREENSHOT=1  also rewrites docs/console.png (the README's picture)
// Screenshots land in tests/browser/artifacts/ (kept for every run, not only failures).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { repo, LEDGERLENS, GEN_FIXTURES, CHROMIUM, ARTIFACTS, readJson, ddmmyyyy, startServer } from './support.mjs';

const USER = 'analyst';
const PASSWORD = 'a long console password';
const LINK_ID = 'console-borrower-1';

let work;
let server;
let base;
let tenant;
let sessionId;
let browser;

async function api(method, route, body, { form } = {}) {
  const headers = { 'x-api-key': tenant.api_key, 'server-hash': tenant.server_hash };
  let payload;
  if (form) {
    payload = form;
  } else if (body) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(`${base}/bank-connect/v1/${route}`, { method, headers, body: payload });
  return { status: response.status, body: await response.json() };
}

/** A session with one processed statement, made through the API as a lender would. */
async function processedSession(fixtures) {
  const identity = readJson(path.join(fixtures, 'hdfc_classic.json')).truth?.identity
    ?? readJson(path.join(fixtures, 'hdfc_classic.json')).identity;
  const created = await api('POST', 'session/', {
    link_id: LINK_ID,
    from_date: ddmmyyyy(identity.from_date),
    to_date: ddmmyyyy(identity.to_date),
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const id = created.body.session_id;
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(path.join(fixtures, 'hdfc_classic.pdf'))], { type: 'application/pdf' }), 'hdfc_classic.pdf');
  form.append('bank_name', 'hdfc');
  form.append('session_id', id);
  form.append('upload_type', 'PDF');
  const uploaded = await api('POST', 'statement/upload_session/', null, { form });
  assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
  const started = await api('POST', `session_data/${id}/initiate_processing/`, {});
  assert.equal(started.status, 202, JSON.stringify(started.body));
  for (let i = 0; i < 600; i += 1) {
    const progress = await api('GET', `session_data/${id}/progress/`);
    if (progress.body.session_progress === 'completed') return id;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('the session did not finish processing');
}

/** A fresh page that records script errors and any request leaving this server. */
async function newPage(viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('request', (request) => {
    if (!request.url().startsWith(base)) problems.push(`request off the server: ${request.url()}`);
  });
  return { page, context, problems };
}

function shotName(name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, `${name}.png`);
}

function consoleTest(name, viewport, body) {
  test(name, async () => {
    const { page, context, problems } = await newPage(viewport);
    try {
      await body(page);
      assert.deepEqual(problems, [], 'no script errors, nothing fetched from elsewhere');
    } catch (error) {
      await page.screenshot({ path: shotName(`FAILED_${name.replace(/[^a-z0-9]+/gi, '_')}`), fullPage: true }).catch(() => {});
      throw error;
    } finally {
      await context.close();
    }
  });
}

async function signIn(page) {
  await page.goto(`${base}/console/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('User name').fill(USER);
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('alert').waitFor();
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Sessions' }).waitFor();
}

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlens-console-'));
  const fixtures = path.join(work, 'fixtures');
  execFileSync(GEN_FIXTURES, [fixtures], { stdio: 'ignore' });
  const dataDir = path.join(work, 'data');
  fs.mkdirSync(dataDir);
  tenant = JSON.parse(execFileSync(LEDGERLENS, ['clients', 'create', '--name', 'console-tests', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString());
  const user = JSON.parse(execFileSync(LEDGERLENS, ['users', 'add', USER, '--client', tenant.client_id, '--password-stdin', '--data-dir', dataDir], {
    input: `${PASSWORD}\n`,
    stdio: ['pipe', 'pipe', 'inherit'],
  }).toString());
  assert.equal(user.username, USER);
  assert.equal(user.password, undefined, 'a password given on stdin is never printed');
  ({ child: server, base } = await startServer(dataDir));
  sessionId = await processedSession(fixtures);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

consoleTest('an analyst signs in, opens a processed session, reads its charts and filters its transactions', { width: 1280, height: 900 }, async (page) => {
  await signIn(page);
  const row = page.locator('#sessions tbody tr', { hasText: LINK_ID });
  await row.waitFor();
  await row.getByRole('link', { name: sessionId }).click();
  await page.getByRole('heading', { name: LINK_ID }).waitFor();

  // Reconciliation proof and key figures.
  await page.locator('#reconciliation').getByText('reconciled', { exact: true }).waitFor();
  assert.match(await page.locator('.computed-closing').first().innerText(), /^-?[\d,]+\.\d\d$/);
  assert.match(await page.locator('#kf-abb .value').innerText(), /^-?[\d,]+\.\d\d$/);

  // Charts are inline SVG drawn by the server: bars per month, a balance line with ABB.
  assert.ok(await page.locator('svg.chart').count() >= 3, 'at least three charts');
  const bars = await page.locator('#chart-flows svg rect').count();
  assert.ok(bars >= 2, `${bars} bars`);
  const line = await page.locator('#chart-eod svg polyline').getAttribute('points');
  assert.ok(line.split(' ').length > 10, 'a balance for many days');
  assert.equal(await page.locator('#chart-eod svg line.ref-avg').count(), 1, 'the ABB line');
  const box = await page.locator('#chart-flows svg').boundingBox();
  assert.ok(box.width > 200 && box.height > 60, 'the chart has a size on screen');

  // The transaction table, each row naming the rule that categorised it.
  const rows = page.locator('#txn-table tbody tr');
  const all = await rows.count();
  assert.ok(all > 5, `${all} rows`);
  assert.match(await rows.first().locator('td.rule').innerText(), /^R\d+/);
  await page.screenshot({ path: shotName('console-session-desktop'), fullPage: true });
  if (process.env.UPDATE_README_SCREENSHOT === '1') {
    // Key figures, the reconciliation proof and the charts: what the README shows.
    const top = await page.evaluate(() => document.querySelector('.figures').getBoundingClientRect().top + window.scrollY);
    await page.screenshot({ path: path.join(repo, 'docs/console.png'), fullPage: true, clip: { x: 0, y: top - 8, width: 1280, height: 1000 } });
  }

  const evidence = await page.evaluate(() => document.querySelector('#fraud').getBoundingClientRect().top + window.scrollY);
  await page.screenshot({ path: shotName('console-evidence'), fullPage: true, clip: { x: 0, y: evidence - 8, width: 1280, height: 1400 } });

  // Filter: debits only, then narrow by amount.
  await page.getByLabel('Type').selectOption('debit');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator('#txn-count', { hasText: 'match' }).waitFor();
  const debits = await rows.count();
  assert.ok(debits > 0 && debits < all, `${debits} of ${all}`);
  const credits = await page.locator('#txn-table tbody td.credit-text').allInnerTexts();
  assert.ok(credits.every((text) => text.trim() === ''), 'no credit amounts left');
  assert.equal(await page.getByLabel('Type').inputValue(), 'debit', 'the form keeps the filter');
  await page.getByLabel('Amount from').fill('1000');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator('#txn-count', { hasText: 'match' }).waitFor();
  const big = await page.locator('#txn-table tbody td.debit-text').allInnerTexts();
  assert.ok(big.length <= debits);
  for (const amount of big) {
    assert.ok(Number(amount.replace(/,/g, '')) >= 1000, amount);
  }
  await page.screenshot({ path: shotName('console-transactions-filtered'), fullPage: false });

  // Sign out: the session list is no longer reachable.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.goto(`${base}/console/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
});

consoleTest('the session page fits a phone screen', { width: 375, height: 740 }, async (page) => {
  await signIn(page);
  await page.goto(`${base}/console/sessions/${sessionId}`);
  await page.getByRole('heading', { name: LINK_ID }).waitFor();
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(fits, 'no horizontal scrolling on a phone-sized screen');
  const chart = await page.locator('#chart-flows svg').boundingBox();
  assert.ok(chart.width <= 375 && chart.width > 250, `chart ${chart.width}px wide`);
  await page.screenshot({ path: shotName('console-session-phone'), fullPage: true });
});
