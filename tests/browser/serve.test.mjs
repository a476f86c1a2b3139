// `aidmap serve` in a real browser: an edit reloads the open page, a broken file shows
// the located error over the last good page, and fixing it clears the overlay.
//
// Needs AIDMAP_BIN (run.sh sets it). Works on a copy of tests/fixtures/minimal.

import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, newContext } from './lib/browser.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(HERE, '..', 'fixtures', 'minimal');
const BIN = process.env.AIDMAP_BIN;

/** Starts `aidmap serve` on a free port and resolves with its URL. */
function serve(root) {
  const child = spawn(BIN, ['serve', '--root', root, '--port', '0'], {
    env: { ...process.env, AIDMAP_TODAY: '2026-11-22' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL: ${out}`)), 120_000);
    const onData = (d) => {
      out += d;
      const m = out.match(/serving (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

test('serve: live reload on edit, error overlay for a broken file, cleared when fixed', { skip: !BIN && 'AIDMAP_BIN is not set' }, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aidmap-serve-'));
  fs.cpSync(FIXTURE, root, { recursive: true });
  const file = path.join(root, 'content', 'groups', 'nr2-helpers.yaml');
  const good = fs.readFileSync(file, 'utf8');
  const { child, url } = await serve(root);
  const browser = await launch();
  try {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${url}groups/nr2-helpers/`);
    assert.equal(await page.textContent('h1'), 'NR2 Helpers');
    // A page the edit does not change, marked so that a reload would show.
    const about = await ctx.newPage();
    await about.goto(`${url}about/`);
    await about.evaluate(() => { window.__notReloaded = true; });

    // An edit saved the way editors do (write a temp file, rename over) reloads the page.
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, good.replace('name: NR2 Helpers', 'name: NR2 Street Helpers'));
    fs.renameSync(tmp, file);
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'NR2 Street Helpers', null, { timeout: 60_000 });
    // Once the whole site has rebuilt (the list shows the new name), the about page,
    // which did not change, has not been reloaded.
    const list = await ctx.newPage();
    await list.goto(`${url}groups/`);
    await list.waitForFunction(() => document.body.textContent.includes('NR2 Street Helpers'), null, { timeout: 60_000 });
    await about.waitForTimeout(1000);
    assert.equal(await about.evaluate(() => window.__notReloaded), true, 'an unchanged page is not reloaded');

    // A broken phone number: the overlay shows the located error; the page stays up.
    fs.writeFileSync(file, good.replace('"01632 960001"', '"12345"'));
    await page.waitForSelector('#aidmap-errors', { timeout: 60_000 });
    const overlay = await page.textContent('#aidmap-errors');
    assert.match(overlay, /content\/groups\/nr2-helpers\.yaml:6:10: error: `12345` is not a full UK phone number/);
    assert.equal(await page.textContent('h1'), 'NR2 Street Helpers', 'the last good page is still shown');

    // Fixed: the overlay goes and the page shows the new content.
    fs.writeFileSync(file, good);
    await page.waitForFunction(() => !document.getElementById('aidmap-errors') && document.querySelector('h1')?.textContent === 'NR2 Helpers', null, { timeout: 60_000 });
  } finally {
    await browser.close();
    child.kill();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
