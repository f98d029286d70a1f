// RFC 6238 TOTP as an authenticator app computes it for a Cognito software token (HMAC-SHA1,
// 30 s steps from the Unix epoch, 6 digits, the secret in RFC 4648 base32), written here so
// the MFA tests do not depend on the server's own implementation. (Not itself a test file.)

import crypto from 'node:crypto';

import { sleep } from './cognate-server.mjs';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const STEP_SECONDS = 30;

// The bytes of a base32 string (case-insensitive, padding ignored). Throws on other characters.
export function base32Decode(text) {
  const out = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of text.replace(/=+$/, '').toUpperCase()) {
    const v = BASE32.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${JSON.stringify(ch)}`);
    buffer = ((buffer << 5) | v) & 0xfff;  // at most 12 bits are pending
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

// The time step that `ms` (default now) falls in.
export const stepAt = (ms = Date.now()) => Math.floor(ms / 1000 / STEP_SECONDS);

// The `digits`-digit code of the base32 `secret` for time step `step` (RFC 4226 §5.3).
export function totpCode(secret, step, digits = 6) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

// A code of the earliest step after `lastStep` that a server accepting one step of drift takes
// now: the current step's, or the next step's when the current one was used. Waits for the
// clock when even the next step is used up. Returns { step, code }.
export async function freshCode(secret, lastStep = -Infinity) {
  for (;;) {
    const now = stepAt();
    const step = Math.max(now, lastStep + 1);
    if (step <= now + 1) return { step, code: totpCode(secret, step) };
    await sleep((now + 1) * STEP_SECONDS * 1000 - Date.now() + 50);
  }
}

// A 6-digit code that is none of the codes the server could accept around now.
export function wrongCode(secret) {
  const now = stepAt();
  const near = new Set([-1, 0, 1, 2].map((d) => totpCode(secret, now + d)));
  for (let n = 123456; ; n = (n + 111111) % 1000000) {
    const code = String(n).padStart(6, '0');
    if (!near.has(code)) return code;
  }
}
