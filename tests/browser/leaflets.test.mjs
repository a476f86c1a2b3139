// Gate: leaflets print as a volunteer needs them. Each layout of some example groups
// (English, Welsh, Somali, and a paused group) is printed to PDF by real headless
// Chromium, then checked with poppler and zbar:
//   - exactly one page, of the layout's paper size (pdfinfo)
//   - the group's name and phone number are there as text (pdftotext)
//   - every QR code on the page decodes to the group's page address (pdftoppm + zbarimg)
// Every other leaflet of the site is checked for overflow in print media (a sheet
// whose content is taller than the paper), and the Print button is checked to work
// (it lives in print.js, since the site's CSP allows no inline script) and not print.
//
// Needs /usr/bin/chromium, pdfinfo, pdftotext, pdftoppm and zbarimg (Debian packages
// chromium, poppler-utils, zbar-tools). Reads the built site from AIDMAP_SITE. Set
// AIDMAP_LEAFLET_PDF_DIR to keep the PDFs and PNGs for looking at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, newContext } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { listHtml, siteDir } from './lib/site.mjs';

// Paper sizes in PostScript points (1 mm = 72 / 25.4 pt).
const mm = (x) => (x * 72) / 25.4;
const LAYOUTS = [
  { file: '', name: 'A5', w: mm(148), h: mm(210), codes: 1 },
  { file: 'a4-two-up.html', name: 'A4 landscape', w: mm(297), h: mm(210), codes: 2 },
  { file: 'poster.html', name: 'A4', w: mm(210), h: mm(297), codes: 1 },
  { file: 'card.html', name: 'A6', w: mm(105), h: mm(148), codes: 1 },
];
const EXAMPLES = [
  { slug: 'nr2-covid-community-response', lang: 'en', name: 'NR2 Covid Community Response', phone: '01632 960214' },
  { slug: 'cymorth-cymunedol-caernarfon', lang: 'cy', name: 'Cymorth Cymunedol Caernarfon', phone: '07700 900495' },
  { slug: 'harlesden-mutual-aid', lang: 'so', name: 'Harlesden Mutual Aid', phone: '020 7946 0732' },
  { slug: 'harnham-harvest-table', lang: 'en', name: 'Harnham Harvest Table', phone: '01632 960477' },
];

const run = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const squash = (s) => s.replace(/\s+/g, ' ');
const leafletPath = (slug, lang, file) => `groups/${slug}/leaflet/${lang === 'en' ? '' : `${lang}/`}${file}`;

let server, browser, ctx, outDir;
before(async () => {
  const keep = process.env.AIDMAP_LEAFLET_PDF_DIR;
  outDir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'aidmap-leaflets-'));
  fs.mkdirSync(outDir, { recursive: true });
  server = await startServer({ root: siteDir() });
  browser = await launch();
  ctx = await newContext(browser);
});
after(async () => {
  await ctx?.close();
  await browser?.close();
  await server?.close();
  if (!process.env.AIDMAP_LEAFLET_PDF_DIR && outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

/** The address the QR code must open: the group page's canonical URL. */
function groupPageUrl(slug) {
  const html = fs.readFileSync(path.join(siteDir(), 'groups', slug, 'index.html'), 'utf8');
  const m = html.match(/<link rel="canonical" href="([^"]+)">/);
  assert.ok(m, `groups/${slug}/ has a canonical link`);
  return m[1];
}

for (const ex of EXAMPLES) {
  for (const layout of LAYOUTS) {
    const rel = leafletPath(ex.slug, ex.lang, layout.file);
    test(`${rel} prints on one ${layout.name} sheet with name, phone and a working QR code`, { timeout: 60_000 }, async () => {
      const file = rel.endsWith('/') ? path.join(rel, 'index.html') : rel;
      assert.ok(fs.existsSync(path.join(siteDir(), file)), `${rel} was built`);
      const page = await ctx.newPage();
      try {
        const res = await page.goto(new URL(rel, server.url).href, { waitUntil: 'load' });
        assert.equal(res.status(), 200);
        await page.emulateMedia({ media: 'print' });
        const stem = path.join(outDir, `${ex.slug}-${ex.lang}-${layout.file.replace(/\.html$/, '') || 'a5'}`);
        await page.pdf({ path: `${stem}.pdf`, preferCSSPageSize: true, printBackground: true });

        const info = run('pdfinfo', [`${stem}.pdf`]);
        assert.match(info, /^Pages:\s+1$/m, `${rel}: one page\n${info}`);
        const size = info.match(/^Page size:\s+([\d.]+) x ([\d.]+) pts/m);
        assert.ok(size, info);
        const [w, h] = [Number(size[1]), Number(size[2])];
        assert.ok(Math.abs(w - layout.w) < 1.5 && Math.abs(h - layout.h) < 1.5, `${rel}: ${w} x ${h} pt, wanted ${layout.name} ${layout.w.toFixed(1)} x ${layout.h.toFixed(1)}`);

        const text = squash(run('pdftotext', ['-layout', `${stem}.pdf`, '-']));
        assert.ok(text.includes(ex.name), `${rel}: the PDF text has the name "${ex.name}"`);
        assert.ok(text.includes(ex.phone), `${rel}: the PDF text has the phone number ${ex.phone}`);

        run('pdftoppm', ['-r', '150', '-png', '-singlefile', `${stem}.pdf`, stem]);
        const codes = run('zbarimg', ['--raw', '-q', `${stem}.png`]).split('\n').filter(Boolean);
        const want = groupPageUrl(ex.slug);
        assert.equal(codes.length, layout.codes, `${rel}: ${layout.codes} QR code(s) found, got ${JSON.stringify(codes)}`);
        for (const c of codes) assert.equal(c, want, `${rel}: the QR code opens the group page`);
      } finally {
        await page.close();
      }
    });
  }
}

test('every leaflet of the site fits its sheet when printed', { timeout: 300_000 }, async () => {
  const all = (await listHtml(siteDir())).filter((p) => /^groups\/[^/]+\/leaflet\//.test(p));
  assert.ok(all.length >= 4 * EXAMPLES.length, `found ${all.length} leaflet pages`);
  const page = await ctx.newPage();
  await page.emulateMedia({ media: 'print' });
  const problems = [];
  for (const rel of all) {
    await page.goto(new URL(rel.replace(/index\.html$/, ''), server.url).href, { waitUntil: 'load' });
    const over = await page.$$eval('.sheet', (sheets) =>
      sheets
        .map((s, i) => ({ i, dh: s.scrollHeight - s.clientHeight, dw: s.scrollWidth - s.clientWidth }))
        .filter((s) => s.dh > 1 || s.dw > 1),
    );
    if (over.length) problems.push(`${rel}: ${JSON.stringify(over)}`);
  }
  await page.close();
  assert.deepEqual(problems, [], `leaflets whose content is bigger than the paper:\n${problems.join('\n')}`);
});

test('the Print button calls window.print and is not printed', { timeout: 60_000 }, async () => {
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    window.__printed = 0;
    window.print = () => { window.__printed += 1; };
  });
  await page.goto(new URL(leafletPath(EXAMPLES[0].slug, 'en', ''), server.url).href, { waitUntil: 'load' });
  const button = page.locator('[data-print]');
  await button.click();
  assert.equal(await page.evaluate(() => window.__printed), 1);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await button.isVisible(), false, 'the toolbar with the button is hidden on paper');
  assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script');
  await page.close();
});
