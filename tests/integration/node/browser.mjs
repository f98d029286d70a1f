// Debian's Chromium driven by playwright-core for the hosted-page tests (not itself a test
// file). Never a downloaded browser: CHROMIUM_PATH or /usr/bin/chromium.
//
// Screenshots go to docs/screenshots/ when COGNATE_UPDATE_SCREENSHOTS=1 (to refresh the ones
// in the repository), else to a temporary folder, so a test run leaves the tree clean.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..', '..');

export const screenshotDir = process.env.COGNATE_UPDATE_SCREENSHOTS === '1'
  ? path.join(repoRoot, 'docs', 'screenshots')
  : fs.mkdtempSync(path.join(os.tmpdir(), 'cognate-shots-'));

export async function launchChromium() {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath}`);
  // Chromium's sandbox cannot start as root (CI containers).
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath, args, headless: true });
}

// Saves a full-page PNG named `<name>.png`, at desktop size and, with `phone`, at phone size.
export async function screenshot(page, name, { phone = false } = {}) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
  if (phone) {
    const size = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(screenshotDir, `${name}-phone.png`), fullPage: true });
    await page.setViewportSize(size);
  }
}
