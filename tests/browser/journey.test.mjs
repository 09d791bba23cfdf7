// The hosted upload journey in a real browser: Debian's chromium driven by playwright-core,
// against the real `ledgerlens serve` on a random loopback port with a temporary data dir.
//
// Environment (all optional):
//   LEDGERLENS_BIN      the ledgerlens binary        (default: ../../target/debug/ledgerlens)
//   GEN_FIXTURES_BIN    the fixture generator        (default: ../../target/debug/gen-fixtures)
//   CHROMIUM            the browser executable       (default: /usr/bin/chromium)
// Screenshots of failing tests land in tests/browser/artifacts/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { LEDGERLENS, GEN_FIXTURES, CHROMIUM, ARTIFACTS, readJson, ddmmyyyy, startServer } from './support.mjs';

// The lender's site: never reached, every request to it is answered by page.route.
const LENDER = 'http://lender.test';
// A 1x1 PNG for the client's logo.
const LOGO_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let work;       // temp dir: data dir, fixtures, browser profile
let server;     // the ledgerlens child process
let base;       // http://127.0.0.1:PORT
let tenant;     // {api_key, server_hash}
let fixtures;   // fixture directory
let context;    // the browser (persistent context on a fresh profile)

/** A one-page HTTP server on a random loopback port (the lender's page of the iframe test). */
function serveOnce(html) {
  return new Promise((resolve) => {
    const srv = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(html);
    });
    srv.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${srv.address().port}/host`,
      // The browser keeps its connection open: without closeAllConnections, close() waits
      // for the server's 60 s idle timeout.
      close: () => new Promise((done) => { srv.close(done); srv.closeAllConnections(); }),
    }));
  });
}

async function createSession(fields) {
  const response = await fetch(`${base}/bank-connect/v1/session/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': tenant.api_key },
    body: JSON.stringify({ link_id: 'browser-user', ...fields }),
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  return body;
}

async function uploadStatus(sessionId) {
  const response = await fetch(`${base}/bank-connect/v1/session_data/${sessionId}/session_upload_status/`, {
    headers: { 'x-api-key': tenant.api_key, 'server-hash': tenant.server_hash },
  });
  return response.json();
}

/** Session fields covering a fixture's statement period. */
function periodOf(name) {
  const identity = readJson(path.join(fixtures, `${name}.json`)).truth?.identity
    ?? readJson(path.join(fixtures, `${name}.json`)).identity;
  return { from_date: ddmmyyyy(identity.from_date), to_date: ddmmyyyy(identity.to_date) };
}

/** A page whose requests to the lender's site are answered locally. */
async function newPage({ phone = false } = {}) {
  const page = await context.newPage();
  if (phone) await page.setViewportSize({ width: 375, height: 667 });
  await page.route(`${LENDER}/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/logo.png') {
      return route.fulfill({ status: 200, contentType: 'image/png', body: LOGO_PNG });
    }
    return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>lender</title><p>back at the lender</p>' });
  });
  return page;
}

/** Runs `body` with a fresh page; on failure saves a screenshot named after the test. */
function journeyTest(name, options, body) {
  test(name, async () => {
    const page = await newPage(options);
    const scriptErrors = [];
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    try {
      await body(page);
      assert.deepEqual(scriptErrors, [], 'the page ran without script errors');
    } catch (error) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const file = path.join(ARTIFACTS, `${name.replace(/[^a-z0-9]+/gi, '_')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.error(`screenshot of the failure: ${file}`);
      throw error;
    } finally {
      await page.close();
    }
  });
}

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlens-browser-'));
  fixtures = path.join(work, 'fixtures');
  execFileSync(GEN_FIXTURES, [fixtures], { stdio: 'ignore' });
  const dataDir = path.join(work, 'data');
  fs.mkdirSync(dataDir);
  const created = execFileSync(LEDGERLENS, ['clients', 'create', '--name', 'browser-tests', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  tenant = JSON.parse(created.toString());
  ({ child: server, base } = await startServer(dataDir));
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
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

journeyTest('a borrower picks a bank, uploads a statement and is sent back to the lender', { phone: true }, async (page) => {
  const { session_id: sessionId, redirect_url: link } = await createSession({
    ...periodOf('hdfc_classic'),
    redirect_url: `${LENDER}/done`,
    logo_url: `${LENDER}/logo.png`,
  });
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/\?session_id=[0-9a-f-]+&token=[0-9a-f]{64}$/);
  assert.ok(!link.includes(tenant.api_key) && !link.includes(tenant.server_hash), 'no client secret in the link');
  await page.goto(link);

  await page.getByRole('heading', { name: 'Select your bank' }).waitFor();
  assert.ok(await page.locator('#logo').isVisible(), 'the client logo is shown');
  // Keyboard only: search, tab to the bank, press Enter.
  await page.getByLabel('Search for your bank').fill('hdfc');
  const hdfc = page.locator('#bank-list button[data-bank="hdfc"]');
  await hdfc.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Upload statements' }).waitFor();

  await page.setInputFiles('#file-input', path.join(fixtures, 'hdfc_classic.pdf'));
  const item = page.locator('.file', { hasText: 'hdfc_classic.pdf' });
  await item.locator('.file-status', { hasText: 'Uploaded' }).waitFor({ timeout: 60000 });

  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(fits, 'no horizontal scrolling on a phone-sized screen');

  const status = await uploadStatus(sessionId);
  assert.equal(status.accounts.length, 1);
  assert.equal(status.accounts[0].bank_name, 'hdfc');

  await page.getByRole('button', { name: 'Submit' }).click();
  await page.waitForURL(`${LENDER}/done?**`);
  const back = new URL(page.url());
  assert.equal(back.searchParams.get('success'), 'true');
  assert.equal(back.searchParams.get('session_id'), sessionId);
});

journeyTest('a wrong then right password unlocks an encrypted statement', {}, async (page) => {
  const meta = readJson(path.join(fixtures, 'encrypted_aes_128.json'));
  const { redirect_url: link } = await createSession({ ...periodOf('encrypted_aes_128'), bank_name: 'kotak' });
  await page.goto(link);

  // The session names the bank: no bank selection.
  await page.getByRole('heading', { name: 'Upload statements' }).waitFor();
  assert.equal(await page.locator('#step-bank').isVisible(), false);

  await page.setInputFiles('#file-input', path.join(fixtures, 'encrypted_aes_128.pdf'));
  const item = page.locator('.file', { hasText: 'encrypted_aes_128.pdf' });
  await item.locator('.file-error', { hasText: 'password-protected' }).waitFor({ timeout: 60000 });
  const password = item.getByLabel('PDF password');
  await password.waitFor();
  assert.ok(await password.evaluate((el) => el === document.activeElement), 'the password field takes focus');

  await password.fill('not-the-password');
  await password.press('Enter');
  await item.locator('.file-error', { hasText: 'not correct' }).waitFor({ timeout: 60000 });
  assert.ok(await page.getByRole('button', { name: 'Submit' }).isDisabled());

  await password.fill(meta.user_password);
  await item.getByRole('button', { name: 'Unlock' }).click();
  await item.locator('.file-status', { hasText: 'Uploaded' }).waitFor({ timeout: 60000 });
  assert.ok(await page.getByRole('button', { name: 'Submit' }).isEnabled());
});

journeyTest('a file chosen before the page has loaded its session waits for it, then uploads', {}, async (page) => {
  const { redirect_url: link } = await createSession({ ...periodOf('hdfc_classic'), bank_name: 'hdfc' });
  // Hold the page's first session request until the file is chosen, as a slow network would.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let first = true;
  await page.route('**/journey/api/session?**', async (route) => {
    if (first) {
      first = false;
      await held;
    }
    await route.continue();
  });
  await page.goto(link, { waitUntil: 'domcontentloaded' });
  await page.setInputFiles('#file-input', path.join(fixtures, 'hdfc_classic.pdf'));
  const item = page.locator('.file', { hasText: 'hdfc_classic.pdf' });
  assert.equal((await item.locator('.file-status').textContent()).trim(), 'Waiting\u2026');
  release();
  await item.locator('.file-status', { hasText: 'Uploaded' }).waitFor({ timeout: 60000 });
  assert.ok(await page.getByRole('button', { name: 'Submit' }).isEnabled());
});

journeyTest('a locked file asked for its password before the bank list has loaded gets its bank\'s hint once it arrives', {}, async (page) => {
  const { redirect_url: locked } = await createSession({ ...periodOf('encrypted_aes_128'), bank_name: 'kotak' });
  // Hold the bank list, as a slow network would, until the server has asked for the password.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/journey/api/banks?**', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(locked, { waitUntil: 'domcontentloaded' });
  await page.setInputFiles('#file-input', path.join(fixtures, 'encrypted_aes_128.pdf'));
  const file = page.locator('.file', { hasText: 'encrypted_aes_128.pdf' });
  await file.getByLabel('PDF password').waitFor({ timeout: 60000 });
  const hint = file.locator('.password-hint');
  assert.match(await hint.textContent(), /set by your bank/, 'the general hint while the bank list is loading');
  release();
  await hint.filter({ hasText: 'CRN' }).waitFor({ timeout: 30000 });
});

journeyTest('unsupported files are refused with a clear message', {}, async (page) => {
  const { redirect_url: link } = await createSession({ ...periodOf('hdfc_classic'), bank_name: 'hdfc' });
  await page.goto(link);
  await page.getByRole('heading', { name: 'Upload statements' }).waitFor();

  // Drag and drop a text file onto the drop zone: refused before any upload.
  await page.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    const zone = document.getElementById('dropzone');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await page.locator('.file', { hasText: 'notes.txt' }).locator('.file-error', { hasText: 'is not a PDF' }).waitFor();

  // A scanned PDF: the server answers PDF_IS_IMAGE.
  await page.setInputFiles('#file-input', path.join(fixtures, 'special_image_only.pdf'));
  await page.locator('.file', { hasText: 'special_image_only.pdf' })
    .locator('.file-error', { hasText: 'scanned image' }).waitFor({ timeout: 60000 });

  // A PDF that is no bank statement.
  await page.setInputFiles('#file-input', path.join(fixtures, 'special_not_a_statement.pdf'));
  const other = page.locator('.file', { hasText: 'special_not_a_statement.pdf' });
  await other.locator('.file-status', { hasText: 'Not accepted' }).waitFor({ timeout: 60000 });
  assert.ok((await other.locator('.file-error').textContent()).length > 10, 'a message explains the refusal');

  assert.ok(await page.getByRole('button', { name: 'Submit' }).isDisabled(), 'nothing to submit');
});

journeyTest('exit redirects with success=false, and inside an iframe the parent gets postMessage events', {}, async (page) => {
  const { session_id: sessionId, redirect_url: link } = await createSession({
    ...periodOf('hdfc_classic'),
    bank_name: 'hdfc',
    redirect_url: `${LENDER}/done?ref=42`,
  });
  await page.goto(link);
  await page.getByRole('button', { name: 'Exit' }).click();
  await page.waitForURL(`${LENDER}/done?**`);
  const back = new URL(page.url());
  assert.equal(back.searchParams.get('success'), 'false');
  assert.equal(back.searchParams.get('ref'), '42', 'the lender query string is kept');

  // The iframe workflow: a lender page on another loopback origin (a real one: Chrome keeps
  // public pages from framing loopback addresses) embeds the link and listens for messages.
  const host = await serveOnce(`<!doctype html><script>window.events = [];
    window.addEventListener('message', (e) => window.events.push(e.data));</script>
    <iframe id="journey" src="${link}" width="400" height="700"></iframe>`);
  await page.goto(host.url);
  const frame = page.frameLocator('#journey');
  await frame.getByRole('heading', { name: 'Upload statements' }).waitFor();
  await frame.locator('#file-input').setInputFiles(path.join(fixtures, 'hdfc_classic.pdf'));
  await frame.locator('.file-status', { hasText: 'Uploaded' }).waitFor({ timeout: 60000 });
  await frame.getByRole('button', { name: 'Submit' }).click();
  await page.waitForFunction(() => window.events.some((e) => e.status === 'success'));
  const events = await page.evaluate(() => window.events);
  const success = events.find((e) => e.status === 'success');
  assert.equal(success.type, 'finbox-bankconnect');
  assert.equal(success.payload.sessionId, sessionId);
  assert.equal(success.payload.linkId, 'browser-user');
  assert.equal(page.url(), host.url, 'the parent page stays where it is');
  await host.close();
});

journeyTest('a tampered link is refused', {}, async (page) => {
  const { redirect_url: link } = await createSession({ ...periodOf('hdfc_classic') });
  await page.goto(link.replace(/token=([0-9a-f])/, (_, c) => `token=${c === '0' ? '1' : '0'}`));
  await page.locator('#notice', { hasText: 'no longer valid' }).waitFor();
  assert.equal(await page.locator('#step-upload').isVisible(), false);
});

/** Keyboard only: type in the bank search, tab to the bank's button and press Enter. */
async function chooseBankByKeyboard(page, search, id) {
  await page.getByRole('heading', { name: 'Select your bank' }).waitFor();
  await page.getByLabel('Search for your bank').fill(search);
  const button = page.locator(`#bank-list button[data-bank="${id}"]`);
  await button.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Upload statements' }).waitFor();
}

journeyTest('a multi_banking journey takes statements of two banks into one session', { phone: true }, async (page) => {
  // The two fixtures cover the same period.
  assert.deepEqual(periodOf('sbi_style'), periodOf('hdfc_classic'));
  const { session_id: sessionId, redirect_url: link } = await createSession({
    ...periodOf('hdfc_classic'),
    journey_mode: 'multi_banking',
    redirect_url: `${LENDER}/done`,
  });
  await page.goto(link);
  const addBank = page.getByRole('button', { name: 'Add another bank' });
  const submit = page.getByRole('button', { name: 'Submit' });

  // First bank: HDFC.
  await chooseBankByKeyboard(page, 'hdfc', 'hdfc');
  assert.equal(await addBank.isVisible(), false, 'no other bank before a statement of this one');
  await page.setInputFiles('#file-input', path.join(fixtures, 'hdfc_classic.pdf'));
  const hdfcItem = page.locator('.file', { hasText: 'hdfc_classic.pdf' });
  await hdfcItem.locator('.file-status', { hasText: 'Uploaded' }).waitFor({ timeout: 60000 });
  const hdfcName = (await page.locator('#bank-chosen').textContent()).trim();
  assert.ok(hdfcName.length > 0);
  assert.equal((await hdfcItem.locator('.file-bank').textContent()).trim(), hdfcName, 'each file names its bank');
  await addBank.waitFor();

  // The borrower leaves to fetch the other statement and comes back: what was uploaded stays
  // listed and can still be submitted or added to.
  await page.reload();
  await page.getByRole('heading', { name: 'Upload statements' }).waitFor();
  await hdfcItem.locator('.file-status', { hasText: 'Uploaded' }).waitFor();
  assert.equal((await page.locator('#bank-chosen').textContent()).trim(), hdfcName);
  assert.ok(await submit.isEnabled(), 'statements uploaded before a reload can be submitted');

  // "Add another bank", then change of mind: back to the statements, nothing lost.
  await addBank.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Select your bank' }).waitFor();
  assert.equal(await page.getByLabel('Search for your bank').inputValue(), '', 'a fresh search for the other bank');
  assert.ok(await page.locator('#bank-kept').isVisible(), 'the borrower is told the uploads are kept');
  const back = page.getByRole('button', { name: 'Back to your statements' });
  await back.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Upload statements' }).waitFor();
  await hdfcItem.locator('.file-status', { hasText: 'Uploaded' }).waitFor();

  // Second bank: SBI.
  await addBank.focus();
  await page.keyboard.press('Enter');
  await chooseBankByKeyboard(page, 'sbi', 'sbi');
  const sbiName = (await page.locator('#bank-chosen').textContent()).trim();
  assert.notEqual(sbiName, hdfcName);
  assert.equal(await addBank.isVisible(), false, 'no third bank before a statement of the second');
  assert.ok(await page.getByRole('button', { name: 'Change bank' }).isVisible(), 'the second bank can still be changed');
  assert.ok(await hdfcItem.isVisible(), 'the first bank\'s statement stays listed');
  assert.ok(await submit.isEnabled());

  // An error in the second bank's step is explained: the HDFC statement again is a duplicate.
  await page.setInputFiles('#file-input', path.join(fixtures, 'hdfc_classic.pdf'));
  const again = page.locator('.file.failed', { hasText: 'hdfc_classic.pdf' });
  await again.locator('.file-error', { hasText: 'already uploaded' }).waitFor({ timeout: 60000 });

  await page.setInputFiles('#file-input', path.join(fixtures, 'sbi_style.pdf'));
  const sbiItem = page.locator('.file', { hasText: 'sbi_style.pdf' });
  await sbiItem.locator('.file-status', { hasText: 'Uploaded' }).waitFor({ timeout: 60000 });
  assert.equal((await sbiItem.locator('.file-bank').textContent()).trim(), sbiName);
  await addBank.waitFor();
  assert.equal(await page.getByRole('button', { name: 'Change bank' }).isVisible(), false);

  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(fits, 'no horizontal scrolling on a phone-sized screen');

  // The session holds two accounts of two banks.
  const status = await uploadStatus(sessionId);
  assert.equal(status.accounts.length, 2, JSON.stringify(status));
  assert.deepEqual(status.accounts.map((a) => a.bank_name).sort(), ['hdfc', 'sbi']);

  await submit.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(`${LENDER}/done?**`);
  const done = new URL(page.url());
  assert.equal(done.searchParams.get('success'), 'true');
  assert.equal(done.searchParams.get('session_id'), sessionId);
});

for (const journeyMode of [undefined, 'multi_pdf']) {
  journeyTest(`without multi_banking (journey_mode ${journeyMode ?? 'unset'}) no other bank is offered`, {}, async (page) => {
    const { session_id: sessionId, redirect_url: link } = await createSession({
      ...periodOf('hdfc_classic'),
      ...(journeyMode ? { journey_mode: journeyMode } : {}),
    });
    await page.goto(link);
    await chooseBankByKeyboard(page, 'hdfc', 'hdfc');
    await page.setInputFiles('#file-input', path.join(fixtures, 'hdfc_classic.pdf'));
    const item = page.locator('.file', { hasText: 'hdfc_classic.pdf' });
    await item.locator('.file-status', { hasText: 'Uploaded' }).waitFor({ timeout: 60000 });
    assert.ok(await page.getByRole('button', { name: 'Submit' }).isEnabled());
    assert.equal(await page.getByRole('button', { name: 'Add another bank' }).isVisible(), false);
    assert.equal(await page.getByRole('button', { name: 'Change bank' }).isVisible(), false);
    assert.equal(await item.locator('.file-bank').isVisible(), false, 'one bank: no bank per file');

    // An SBI statement in this HDFC journey is refused with an explanation.
    await page.setInputFiles('#file-input', path.join(fixtures, 'sbi_style.pdf'));
    const other = page.locator('.file', { hasText: 'sbi_style.pdf' });
    await other.locator('.file-status', { hasText: 'Not accepted' }).waitFor({ timeout: 60000 });
    assert.match(await other.locator('.file-error').textContent(), /looks like an SBI statement, not /);
    assert.equal(await page.getByRole('button', { name: 'Add another bank' }).isVisible(), false);

    const status = await uploadStatus(sessionId);
    assert.deepEqual(status.accounts.map((a) => a.bank_name), ['hdfc']);
  });
}

// ---- guidance: lender, missing months, bank names, password hints, focus, Android ----

/** "01/06/2023" → the month names the page shows ("Jun 2023") for the two months before it. */
function twoMonthsBefore(ddmmyyyy) {
  const [, m, y] = ddmmyyyy.split('/').map(Number);
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const month = (offset) => {
    const d = new Date(Date.UTC(y, m - 1 + offset, 1));
    return { first: `01/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`, name: `${names[d.getUTCMonth()]} ${d.getUTCFullYear()}` };
  };
  return [month(-2), month(-1)];
}

journeyTest('the page names the lender, hides a broken logo and asks about missing months before submitting', {}, async (page) => {
  const period = periodOf('hdfc_classic');
  const [early, later] = twoMonthsBefore(period.from_date);
  const { redirect_url: link } = await createSession({
    from_date: early.first,
    to_date: period.to_date,
    bank_name: 'hdfc',
    redirect_url: `${LENDER}/done`,
    logo_url: `${LENDER}/missing-logo.png`,
  });
  await page.route(`${LENDER}/missing-logo.png`, (route) => route.fulfill({ status: 404, body: 'no' }));
  await page.goto(link);
  await page.getByRole('heading', { name: 'Upload statements' }).waitFor();
  await page.locator('#lender', { hasText: 'Requested by browser-tests' }).waitFor();
  await page.waitForFunction(() => document.getElementById('logo').hidden);

  await page.setInputFiles('#file-input', path.join(fixtures, 'hdfc_classic.pdf'));
  await page.locator('.file-status', { hasText: 'Uploaded' }).waitFor({ timeout: 60000 });
  const missing = page.locator('#missing');
  await missing.waitFor();
  assert.equal(await missing.textContent(), `Still missing: ${early.name}, ${later.name}. Please upload statements covering these months.`);

  // The first Submit says what is missing and asks again; the second submits.
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('button', { name: 'Submit anyway' }).waitFor();
  assert.match(await missing.textContent(), new RegExp(`Statements for ${early.name}, ${later.name} are still missing`));
  assert.ok(await missing.evaluate((el) => el === document.activeElement), 'the warning takes focus');
  await page.getByRole('button', { name: 'Submit anyway' }).click();
  await page.waitForURL(`${LENDER}/done?**`);
});

journeyTest('bank search knows short names and the popular banks are catalogue ids', {}, async (page) => {
  const { redirect_url: link } = await createSession({ ...periodOf('hdfc_classic') });
  await page.goto(link);
  await page.getByRole('heading', { name: 'Select your bank' }).waitFor();
  await page.locator('#bank-list button[data-bank="hdfc"]').waitFor();
  const first = await page.locator('#bank-list button').evaluateAll((buttons) => buttons.slice(0, 12).map((b) => b.dataset.bank));
  assert.deepEqual(first, ['sbi', 'hdfc', 'icici', 'axis', 'kotak', 'pnbbnk', 'baroda', 'canara', 'ubi', 'idfc', 'yesbnk', 'indusind']);
  for (const [search, id] of [['BOB', 'baroda'], ['PNB', 'pnbbnk'], ['SBI', 'sbi'], ['ubi', 'ubi']]) {
    await page.getByLabel('Search for your bank').fill(search);
    const shown = await page.locator('#bank-list button').evaluateAll((buttons) => buttons.map((b) => b.dataset.bank));
    assert.equal(shown[0], id, `${search} finds ${id} first: ${shown.slice(0, 5)}`);
  }
  await page.getByLabel('Search for your bank').fill('no such bank anywhere');
  await page.locator('#bank-empty').waitFor();
  assert.equal(await page.getByLabel('Search for your bank').getAttribute('aria-describedby'), 'bank-empty');
});

/** WCAG relative luminance of "rgb(r, g, b)". */
function luminance(rgb) {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

journeyTest('the keyboard focus ring contrasts at least 3:1 and is not clipped by the scrolling bank list', {}, async (page) => {
  const { redirect_url: link } = await createSession({ ...periodOf('hdfc_classic') });
  await page.goto(link);
  await page.locator('#bank-list button[data-bank="sbi"]').waitFor();
  await page.getByLabel('Search for your bank').focus();
  await page.keyboard.press('Tab');
  const ring = await page.evaluate(() => {
    const button = document.activeElement;
    const style = getComputedStyle(button);
    const list = document.getElementById('bank-list');
    const b = button.getBoundingClientRect();
    const l = list.getBoundingClientRect();
    const reach = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
    return {
      bank: button.dataset.bank,
      style: style.outlineStyle,
      color: style.outlineColor,
      background: getComputedStyle(document.getElementById('app')).backgroundColor,
      inside: b.left - reach >= l.left + list.clientLeft && b.right + reach <= l.left + list.clientLeft + list.clientWidth &&
        b.top - reach >= l.top,
    };
  });
  assert.equal(ring.bank, 'sbi', 'Tab from the search reaches the first bank');
  assert.equal(ring.style, 'solid');
  const [hi, lo] = [luminance(ring.color), luminance(ring.background)].sort((a, b) => b - a);
  const contrast = (hi + 0.05) / (lo + 0.05);
  assert.ok(contrast >= 3, `focus ring contrast ${contrast.toFixed(2)}:1`);
  assert.ok(ring.inside, 'the whole ring lies inside the list\'s visible box');
});

journeyTest('a statement of another bank offers to switch; a locked file shows its bank\'s hint and can be removed', {}, async (page) => {
  const { redirect_url: link } = await createSession({ ...periodOf('hdfc_classic') });
  await page.goto(link);
  await chooseBankByKeyboard(page, 'hdfc', 'hdfc');
  await page.setInputFiles('#file-input', path.join(fixtures, 'sbi_style.pdf'));
  const item = page.locator('.file', { hasText: 'sbi_style.pdf' });
  await item.locator('.file-error', { hasText: 'This looks like an SBI statement \u2014 switch bank?' }).waitFor({ timeout: 60000 });
  assert.ok(!(await item.locator('.file-error').textContent()).includes(' sbi '), 'no internal id');
  await item.getByRole('button', { name: 'Switch to State Bank of India' }).click();
  await item.locator('.file-status', { hasText: 'Uploaded' }).waitFor({ timeout: 60000 });
  assert.equal((await page.locator('#bank-chosen').textContent()).trim(), 'State Bank of India');

  const { redirect_url: locked } = await createSession({ ...periodOf('encrypted_aes_128'), bank_name: 'kotak' });
  await page.goto(locked);
  await page.setInputFiles('#file-input', path.join(fixtures, 'encrypted_aes_128.pdf'));
  const file = page.locator('.file', { hasText: 'encrypted_aes_128.pdf' });
  const password = file.getByLabel('PDF password');
  await password.waitFor({ timeout: 60000 });
  await file.locator('.password-hint', { hasText: 'CRN' }).waitFor();
  const described = await password.evaluate((el) => el.getAttribute('aria-describedby').split(' ')
    .map((id) => document.getElementById(id).textContent).join(' | '));
  assert.match(described, /password-protected.*\| .*CRN/, `the field is described by its error and hint: ${described}`);
  const remove = page.getByRole('button', { name: 'Remove file encrypted_aes_128.pdf' });
  assert.ok(await remove.isVisible(), 'a file waiting for its password can be removed');
  await remove.click();
  assert.equal(await file.count(), 0);
  assert.ok(await page.getByRole('button', { name: 'Submit' }).isDisabled());
});

journeyTest('inside an Android WebView the BankConnectAndroid interface gets the documented callbacks', {}, async (page) => {
  await page.addInitScript(() => {
    window.androidCalls = [];
    const record = (name) => (json) => window.androidCalls.push({ name, data: JSON.parse(json) });
    window.BankConnectAndroid = {
      onResult: record('onResult'), onSuccess: record('onSuccess'), onExit: record('onExit'),
      onError: record('onError'), onInfo: record('onInfo'),
    };
  });
  const { session_id: sessionId, redirect_url: link } = await createSession({
    ...periodOf('hdfc_classic'),
    redirect_url: `${LENDER}/done`,
  });
  await page.goto(link);
  await chooseBankByKeyboard(page, 'hdfc', 'hdfc');
  await page.getByRole('button', { name: 'Change bank' }).click();
  await chooseBankByKeyboard(page, 'hdfc', 'hdfc');
  await page.setInputFiles('#file-input', path.join(fixtures, 'special_not_a_statement.pdf'));
  await page.locator('.file-status', { hasText: 'Not accepted' }).waitFor({ timeout: 60000 });
  await page.setInputFiles('#file-input', path.join(fixtures, 'hdfc_classic.pdf'));
  await page.locator('.file', { hasText: 'hdfc_classic.pdf' }).locator('.file-status', { hasText: 'Uploaded' }).waitFor({ timeout: 60000 });
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Thank you' }).waitFor();
  assert.equal(new URL(page.url()).host, new URL(link).host, 'the WebView stays on the journey');
  await page.getByRole('button', { name: 'Exit' }).click();

  const calls = await page.evaluate(() => window.androidCalls);
  const of = (name) => calls.filter((c) => c.name === name).map((c) => c.data);
  const infos = of('onInfo').map((d) => d.event_name);
  assert.deepEqual(infos.filter((e) => e !== 'manual'), ['bank_selected', 'manual_upload_back', 'bank_selected']);
  assert.ok(infos.includes('manual'), 'the manual upload screen opened');
  assert.equal(of('onError')[0].linkId, 'browser-user');
  assert.match(of('onError')[0].error_type, /^MU\d{3}$/);
  assert.deepEqual(of('onSuccess'), [{ linkId: 'browser-user', sessionId }]);
  assert.deepEqual(of('onExit'), [{ linkId: 'browser-user', message: 'User exited the journey' }]);
  const results = of('onResult');
  assert.equal(results.length, calls.length - results.length, 'onResult receives every event');
  assert.ok(results.every((r) => r.type === 'finbox-bankconnect'));
});
