// Starts and stops a cognate server for a node --test file (not itself a test file).
//
// With COGNATE_ENDPOINT (+ AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, and optionally
// COGNATE_DATA_DIR for the outbox) it uses that server; otherwise it starts
// `$COGNATE_BIN serve --data <tmp> --listen 127.0.0.1:<free port> --region us-east-1`
// (default binary <repo>/build/cognate) with generated admin credentials.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..', '..');
export const REGION = 'us-east-1';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitReady(url, logPath, exitedRef, child) {
  const deadline = Date.now() + 30000;
  for (;;) {
    if (exitedRef()) {
      throw new Error(`cognate exited (${JSON.stringify(exitedRef())}) before ready:\n${
        fs.readFileSync(logPath, 'utf8')}`);
    }
    try {
      const r = await fetch(`${url}/health`);
      if (r.status === 200) return;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`cognate not ready within 30 s:\n${fs.readFileSync(logPath, 'utf8')}`);
    }
    await sleep(100);
  }
}

// Returns { endpoint, credentials, dataDir (null when unknown), stop() }.
export async function startCognate() {
  if (process.env.COGNATE_ENDPOINT) {
    const credentials = {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
    };
    if (!credentials.accessKeyId || !credentials.secretAccessKey) {
      throw new Error('COGNATE_ENDPOINT needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
    }
    return { endpoint: process.env.COGNATE_ENDPOINT, credentials,
      dataDir: process.env.COGNATE_DATA_DIR || null, stop: async () => {} };
  }
  const bin = process.env.COGNATE_BIN || path.join(repoRoot, 'build', 'cognate');
  if (!fs.existsSync(bin)) throw new Error(`cognate binary not found at ${bin} (set COGNATE_BIN)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cognate-node-'));
  const dataDir = path.join(tmp, 'data');
  fs.mkdirSync(dataDir);
  const port = await freePort();
  const credentials = { accessKeyId: 'AKIDCOGNATENODE00002',
    secretAccessKey: crypto.randomBytes(30).toString('base64').slice(0, 40) };
  const logPath = path.join(tmp, 'cognate.log');
  const log = fs.openSync(logPath, 'a');
  const child = spawn(bin, ['serve', '--data', dataDir, '--listen', `127.0.0.1:${port}`,
    '--region', REGION], {
    env: { ...process.env, COGNATE_ADMIN_ACCESS_KEY_ID: credentials.accessKeyId,
      COGNATE_ADMIN_SECRET_ACCESS_KEY: credentials.secretAccessKey },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitReady(endpoint, logPath, () => exited, child);
  const stop = async () => {
    if (!exited) {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10000);
      await done;
      clearTimeout(t);
    }
    if (!process.env.COGNATE_KEEP_DATA) fs.rmSync(tmp, { recursive: true, force: true });
  };
  return { endpoint, credentials, dataDir, stop };
}

// The messages in <data dir>/outbox.jsonl (complete lines only).
export function readOutbox(dataDir) {
  let text;
  try {
    text = fs.readFileSync(path.join(dataDir, 'outbox.jsonl'), 'utf8');
  } catch (e) {
    if (e.code === 'ENOENT') return [];
    throw e;
  }
  const out = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try { out.push(JSON.parse(line)); } catch { /* half-written last line */ }
  }
  return out;
}

// The newest message matching every key of `filter`, polling for up to 5 s.
export async function waitMessage(dataDir, filter) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = readOutbox(dataDir).filter(
      (m) => Object.entries(filter).every(([k, v]) => m[k] === v));
    if (found.length) return found[found.length - 1];
    if (Date.now() > deadline) {
      throw new Error(`no outbox message matching ${JSON.stringify(filter)}`);
    }
    await sleep(50);
  }
}
