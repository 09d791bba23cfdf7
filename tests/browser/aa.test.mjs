// The Account Aggregator journey (mode=aa) in a real browser: Debian's chromium driven by
// playwright-core, against the real `ledgerlens serve` and the real `ledgerlens-aa-sim`, both on
// random loopback ports, the server with a temporary data dir. The borrower follows the session's
// link to the simulator's consent page, types the fake OTP, picks an account and approves (the FI
// data is then fetched, decrypted and processed into Insights), or declines and is offered the
// PDF upload instead. The trip to the AA and back is the Sahamati web redirection: only `fi`,
// `reqdate`, `ecreq` go there and `fi`, `resdate`, `ecres` come back (the simulator's default
// shared secret).
//
// Environment (all optional):
//   LEDGERLENS_BIN      the ledgerlens binary        (default: ../../target/debug/ledgerlens)
//   AA_SIM_BIN          the AA simulator             (default: ../../target/debug/ledgerlens-aa-sim)
//   CHROMIUM            the browser executable       (default: /usr/bin/chromium)
// Screenshots land in tests/browser/artifacts/ (the consent page on every run, any page on failure).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const LEDGERLENS = process.env.LEDGERLENS_BIN || path.join(repo, 'target/debug/ledgerlens');
const AA_SIM = process.env.AA_SIM_BIN || path.join(repo, 'target/debug/ledgerlens-aa-sim');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.join(here, 'artifacts');
// The demo FIU key the simulator trusts by default (README "Connecting to an Account Aggregator").
const FIU_KEY = path.join(repo, 'crates/aa-sim/keys/fiu-demo.pk8.der');
// The simulator's HDFC demo account; its siblings belong to other banks.
const HDFC_ACCOUNT = 'LRN-SIM-0001';
// The lender's site: never reached, every request to it is answered by page.route.
const LENDER = 'http://lender.test';

let work;      // temp dir: data dir, browser profile
let sim;       // the simulator child process
let simBase;   // http://127.0.0.1:PORT of the simulator
let server;    // the ledgerlens child process
let base;      // http://127.0.0.1:PORT of serve
let tenant;    // {api_key, server_hash}
let context;   // the browser (persistent context on a fresh profile)

/**
 * Spawns a process and resolves once its log (stdout or stderr, colours stripped) matches
 * `pattern`, with the first capture group.
 */
function startLogged(bin, args, env, pattern, what) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${log}`)), 30000);
    const onData = (chunk) => {
      log += chunk.toString();
      const match = log.replace(/\x1b\[[0-9;]*m/g, '').match(pattern);
      if (match) {
        clearTimeout(timer);
        for (const stream of [child.stdout, child.stderr]) {
          stream.removeListener('data', onData);
          stream.resume();
        }
        child.removeListener('exit', onExit);
        resolve({ child, address: match[1] });
      }
    };
    const onExit = (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${log}`));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', onExit);
  });
}

async function stop(child) {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/** dd/mm/yyyy of a UTC date, as the Session API takes dates. */
function ddmmyyyy(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${pad(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}`;
}

/** An AA session for the simulator's statements: six whole months before this one, to today. */
async function createAaSession() {
  const today = new Date();
  const from = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 6, 1));
  const response = await fetch(`${base}/bank-connect/v1/session/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': tenant.api_key },
    body: JSON.stringify({
      link_id: 'aa-browser-user',
      mode: 'aa',
      bank_name: 'hdfc',
      mobile_number: '9876543210',
      from_date: ddmmyyyy(from),
      to_date: ddmmyyyy(today),
      redirect_url: `${LENDER}/done`,
    }),
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  return body;
}

async function api(pathname) {
  const response = await fetch(`${base}/bank-connect/v1/${pathname}`, {
    headers: { 'x-api-key': tenant.api_key, 'server-hash': tenant.server_hash },
  });
  return { status: response.status, body: await response.json() };
}

/** Polls progress/ until the session completes (the AA fetch requests processing itself). */
async function waitCompleted(sessionId, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await api(`session_data/${sessionId}/progress/`);
    if (last.status === 200 && last.body.session_progress === 'completed') return last.body;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`session ${sessionId} did not complete: ${JSON.stringify(last)}`);
}

function screenshotPath(name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, `${name}.png`);
}

/** Runs `body` with a fresh page; on failure saves a screenshot named after the test. */
function aaTest(name, body) {
  test(name, async () => {
    const page = await context.newPage();
    await page.route(`${LENDER}/**`, (route) => route.fulfill({
      status: 200, contentType: 'text/html', body: '<!doctype html><title>lender</title><p>back at the lender</p>',
    }));
    const scriptErrors = [];
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    try {
      await body(page);
      assert.deepEqual(scriptErrors, [], 'the pages ran without script errors');
    } catch (error) {
      const file = screenshotPath(name.replace(/[^a-z0-9]+/gi, '_'));
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.error(`screenshot of the failure: ${file}`);
      throw error;
    } finally {
      await page.close();
    }
  });
}

/** The AA's answer came back encrypted (`ecres`), never as a clear `status`. */
function assertEncryptedAnswer(url) {
  const params = new URL(url).searchParams;
  assert.deepEqual([...params.keys()], ['token', 'fi', 'resdate', 'ecres'], url);
}

/** Session link → /aa/journey → the simulator's consent page; returns the session id. */
async function toConsentPage(page) {
  const { session_id: sessionId, redirect_url: link } = await createAaSession();
  assert.match(link, /\/aa\/journey\//, link);
  // The mobile number is prefilled and not editable: the journey goes straight to the AA.
  await page.goto(link);
  await page.waitForURL(`${simBase}/webview?**`);
  const sent = [...new URL(page.url()).searchParams.keys()];
  assert.deepEqual(sent, ['fi', 'reqdate', 'ecreq'], page.url());
  await page.getByRole('heading', { name: 'Approve consent' }).waitFor();
  assert.equal((await page.locator('#fiu').textContent()).trim(), 'FIU-LEDGERLENS');
  return sessionId;
}

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlens-browser-aa-'));
  ({ child: sim, address: simBase } = await startLogged(
    AA_SIM, ['--listen', '127.0.0.1:0'], { RUST_LOG: 'info' },
    /AA simulator listening url=(\S+)/, 'the AA simulator',
  ));
  const dataDir = path.join(work, 'data');
  fs.mkdirSync(dataDir);
  const created = execFileSync(LEDGERLENS, ['clients', 'create', '--name', 'aa-browser-tests', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  tenant = JSON.parse(created.toString());
  let address;
  ({ child: server, address } = await startLogged(
    LEDGERLENS, ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--workers', '1'],
    {
      RUST_LOG: 'info',
      LEDGERLENS_AA_BASE_URL: simBase,
      LEDGERLENS_AA_ID: 'AA-SIM',
      LEDGERLENS_AA_FIU_ID: 'FIU-LEDGERLENS',
      LEDGERLENS_AA_SIGNING_KEY: FIU_KEY,
      LEDGERLENS_AA_SIGNING_KID: 'fiu-demo-1',
      LEDGERLENS_AA_REGISTRY_URL: `${simBase}/cr`,
      LEDGERLENS_AA_ISSUER_JWKS_URL: `${simBase}/auth/realms/sahamati/protocol/openid-connect/certs`,
      LEDGERLENS_AA_TOKEN_URL: `${simBase}/iam/v1/entity/token/generate`,
      LEDGERLENS_AA_CLIENT_SECRET: 'fiu-sim-secret',
      LEDGERLENS_AA_REDIRECT_SECRET: 'fiu-sim-redirect-secret',
    },
    /ledgerlens listening addr=(\S+)/, 'ledgerlens serve',
  ));
  base = `http://${address}`;
  // Both ports are random, so the simulator learns where to send notifications only now.
  const told = await fetch(`${simBase}/_sim/fiu`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ base_url: `${base}/aa` }),
  });
  assert.equal(told.status, 200);
  context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
});

after(async () => {
  await context?.close();
  await stop(server);
  await stop(sim);
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

aaTest('a borrower approves the consent at the AA and the session gets Insights from AA data', async (page) => {
  const started = Date.now();
  const sessionId = await toConsentPage(page);

  // Share only the HDFC account the session asked for.
  const boxes = page.locator('input[type=checkbox][name=account]');
  assert.ok(await boxes.count() > 1, 'the simulator lists several accounts');
  for (const box of await boxes.all()) {
    if ((await box.getAttribute('value')) !== HDFC_ACCOUNT) await box.uncheck();
  }
  assert.ok(await page.locator(`input[name=account][value="${HDFC_ACCOUNT}"]`).isChecked());
  await page.getByLabel(/OTP sent to/).fill('123456');
  await page.screenshot({ path: screenshotPath('aa-consent-page'), fullPage: true });
  await page.getByRole('button', { name: 'Approve' }).click();

  await page.waitForURL(`${base}/aa/return/${sessionId}?**`);
  assertEncryptedAnswer(page.url());
  await page.getByRole('heading', { name: 'Thank you' }).waitFor();
  await page.locator('#fetching').waitFor();

  const progress = await waitCompleted(sessionId);
  assert.ok(progress.progress.length >= 1, JSON.stringify(progress));
  assert.ok(progress.progress.every((s) => s.source === 'aa'), JSON.stringify(progress));
  const { status, body: insights } = await api(`session_data/${sessionId}/insights/`);
  assert.equal(status, 200, JSON.stringify(insights));
  assert.equal(insights.accounts.length, 1, 'one account shared');
  const { data } = insights.accounts[0];
  const rows = data.transactions;
  assert.ok(rows.length > 20, `${rows.length} transactions from the AA`);
  // Insights spell the source in capitals (statement_stats), the session-flow answers in small.
  assert.ok(data.statement_stats.length >= 1);
  for (const stats of data.statement_stats) {
    assert.equal(stats.source, 'AA', JSON.stringify(stats));
    assert.equal(stats.transaction_count, rows.length);
  }
  const { body: statuses } = await api(`session_data/${sessionId}/session_status/`);
  assert.ok(JSON.stringify(statuses).includes('"source":"aa"'), JSON.stringify(statuses));
  console.log(`AA journey in the browser → insights: ${Date.now() - started} ms, ${rows.length} transactions`);

  await page.getByRole('link', { name: 'Continue' }).click();
  await page.waitForURL(`${LENDER}/done**`);
});

aaTest('a borrower whose way back from the AA is slower than the AA\'s notification still gets the thank-you page', async (page) => {
  const sessionId = await toConsentPage(page);
  // Hold the AA's answer to the approval (the redirect back here) until the AA's consent
  // notification has fetched the data and the session's processing has run, as a slow phone
  // network would.
  let held = false;
  await page.route(`${simBase}/**`, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const answer = await route.fetch({ maxRedirects: 0 });
    await waitCompleted(sessionId, 60000);
    held = true;
    await route.fulfill({ response: answer });
  });
  await page.getByLabel(/OTP sent to/).fill('123456');
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('heading', { name: 'Thank you' }).waitFor({ timeout: 90000 });
  assert.ok(held, 'the approval was held until the session had been processed');
  assert.ok(await page.locator('#fetching').isVisible());
});

aaTest('a borrower who declines at the AA is offered the PDF upload', async (page) => {
  const sessionId = await toConsentPage(page);
  await page.getByRole('button', { name: 'Decline' }).click();

  await page.waitForURL(`${base}/aa/return/${sessionId}?**`);
  assertEncryptedAnswer(page.url());
  await page.getByRole('heading', { name: 'Consent not given' }).waitFor();
  await page.locator('#declined').waitFor();
  await page.getByRole('link', { name: 'Upload PDF' }).click();

  // The hosted upload journey of the same session, its bank already chosen.
  await page.waitForURL(`${base}/?session_id=${sessionId}&**`);
  await page.getByRole('heading', { name: 'Upload statements' }).waitFor();
  assert.ok(await page.locator('#file-input').count() === 1, 'the file input is there');
  assert.ok(await page.locator('#dropzone').isVisible(), 'the drop zone is shown');
  await page.screenshot({ path: screenshotPath('aa-declined-upload'), fullPage: true });
});
