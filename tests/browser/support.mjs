// What the browser tests share: where the binaries are, and starting `ledgerlens serve`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..');
export const LEDGERLENS = process.env.LEDGERLENS_BIN || path.join(repo, 'target/debug/ledgerlens');
export const GEN_FIXTURES = process.env.GEN_FIXTURES_BIN || path.join(repo, 'target/debug/gen-fixtures');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = path.join(here, 'artifacts');

export function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** ISO "2023-07-01" → "01/07/2023", as the Session API takes dates. */
export function ddmmyyyy(iso) {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** Starts `ledgerlens serve` on port 0 and resolves with the child and the address it logs. */
export function startServer(dataDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(LEDGERLENS, ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--workers', '1'], {
      env: { ...process.env, RUST_LOG: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30000);
    child.stderr.on('data', (chunk) => {
      log += chunk.toString();
      const match = log.replace(/\x1b\[[0-9;]*m/g, '').match(/ledgerlens listening addr=(\S+)/);
      if (match) {
        clearTimeout(timer);
        child.stderr.removeAllListeners('data');
        child.stderr.resume();
        resolve({ child, base: `http://${match[1]}` });
      }
    });
    child.stdout.resume();
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
}
