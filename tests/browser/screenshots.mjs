// The README's screenshots, made again from a built site with Debian's Chromium:
// the home page, a search result and a group's page, on a phone (375x812) and a
// desktop (1280x800), one screen each, and a group's A5 door-drop leaflet as it
// prints (PDF, then pdftoppm), into docs/screenshots/.
//
//   tests/browser/run.sh builds the example into tests/browser/out/site; then
//   node tests/browser/screenshots.mjs [SITE_DIR] [OUT_DIR]
//
// Defaults: AIDMAP_SITE or tests/browser/out/site, and docs/screenshots.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, newContext } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { BROWSER_DIR, REPO_ROOT } from './lib/site.mjs';

const site = path.resolve(process.argv[2] || process.env.AIDMAP_SITE || path.join(BROWSER_DIR, 'out', 'site'));
const outDir = path.resolve(process.argv[3] || path.join(REPO_ROOT, 'docs', 'screenshots'));
if (!fs.existsSync(path.join(site, 'index.html'))) {
  console.error(`screenshots.mjs: no built site at ${site} (run tests/browser/run.sh first)`);
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

const shots = [
  { name: 'home', path: '' },
  { name: 'search', path: '', query: 'NR2 3AB' },
  { name: 'group', path: 'groups/nr2-covid-community-response/' },
];
const sizes = [
  { name: 'phone', viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 },
  { name: 'desktop', viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
];

const server = await startServer({ root: site });
const browser = await launch();
try {
  for (const size of sizes) {
    const ctx = await newContext(browser, { viewport: size.viewport, deviceScaleFactor: size.deviceScaleFactor });
    const page = await ctx.newPage();
    for (const shot of shots) {
      await page.goto(server.url + shot.path, { waitUntil: 'load' });
      if (shot.query) {
        await page.fill('#q', shot.query);
        await page.press('#q', 'Enter');
        await page.waitForSelector('#results .result h3');
      }
      const file = path.join(outDir, `${shot.name}-${size.name}.png`);
      await page.screenshot({ path: file });
      console.log(file);
    }
    await ctx.close();
  }
  // The A5 leaflet as the organiser's printer gets it: the page's own paper size.
  const ctx = await newContext(browser, {});
  const page = await ctx.newPage();
  await page.goto(server.url + 'leaflets/nr/1/#nr2-covid-community-response.a5', { waitUntil: 'load' });
  const pdf = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aidmap-shot-')), 'a5.pdf');
  await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
  const base = path.join(outDir, 'leaflet-a5');
  execFileSync('pdftoppm', ['-png', '-r', '72', '-singlefile', pdf, base]);
  console.log(base + '.png');
  await ctx.close();
} finally {
  await browser.close();
  await server.close();
}
