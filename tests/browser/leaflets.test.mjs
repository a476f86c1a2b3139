// Gate: leaflets print as a volunteer needs them. A sheets page (leaflets/nr/1/) holds
// every layout of up to sixteen groups of a postcode area; the address's #slug.layout
// chooses one (CSS :target and sibling selectors, no JavaScript), #slug the group's
// default, and only that one prints. The A5 leaflet and the poster are the two-up
// sheet's first article shown alone (#slug.a5, #slug.poster name empty anchors before
// its section). Each layout of some example groups (English, bilingual Welsh/English and
// Somali/English, and a paused group) is printed to PDF by real headless Chromium,
// with JavaScript on and off, then checked with poppler and zbar:
//   - exactly one page, of the layout's paper size (pdfinfo)
//   - the group's name and phone number are there as text (pdftotext)
//   - every QR code on the page decodes to the group's page address (pdftoppm + zbarimg)
// Every layout of every leaflet page of the site is checked for overflow in print
// media (a sheet whose content is taller than the paper), each layout's screen preview
// for fitting a 320 px phone, and the Print button is checked to work (it lives in
// print.js, since the site's CSP allows no inline script) and not print.
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
  { id: 'a5', name: 'A5', w: mm(148), h: mm(210), codes: 1 },
  { id: 'a4-two-up', name: 'A4 landscape', w: mm(297), h: mm(210), codes: 2 },
  { id: 'poster', name: 'A4', w: mm(210), h: mm(297), codes: 1 },
  { id: 'card', name: 'A6', w: mm(105), h: mm(148), codes: 1 },
];
const EXAMPLES = [
  { slug: 'nr2-covid-community-response', prefix: '', name: 'NR2 Covid Community Response', phone: '01632 960214' },
  { slug: 'cymorth-cymunedol-caernarfon', prefix: 'cy-', name: 'Cymorth Cymunedol Caernarfon', phone: '07700 900495', words: ['Angen help llaw?', 'Need a hand?'] },
  { slug: 'harlesden-mutual-aid', prefix: 'so-', name: 'Harlesden Mutual Aid', phone: '020 7946 0732', words: ['Caawimaad ma u baahan tahay?', 'Need a hand?'] },
  { slug: 'harnham-harvest-table', prefix: '', name: 'Harnham Harvest Table', phone: '01632 960477', paused: true },
];

const run = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const squash = (s) => s.replace(/\s+/g, ' ');
/** The sheets page holding a group's leaflets, as its group page links to it (its block). */
function leafletPage(slug) {
  const html = fs.readFileSync(path.join(siteDir(), 'groups', slug, 'index.html'), 'utf8');
  const m = html.match(new RegExp(`href="(?:\\.\\./)*(leaflets/[a-z]+/\\d+/)#${slug}"`));
  assert.ok(m, `groups/${slug}/ links to its leaflets`);
  return m[1];
}

let server, browser, contexts, outDir;
before(async () => {
  const keep = process.env.AIDMAP_LEAFLET_PDF_DIR;
  outDir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'aidmap-leaflets-'));
  fs.mkdirSync(outDir, { recursive: true });
  server = await startServer({ root: siteDir() });
  browser = await launch();
  contexts = { js: await newContext(browser), nojs: await newContext(browser, { javaScriptEnabled: false }) };
});
after(async () => {
  for (const c of Object.values(contexts || {})) await c.close();
  await browser?.close();
  await server?.close();
  if (!process.env.AIDMAP_LEAFLET_PDF_DIR && outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

/** The address the QR code must open: the group page's canonical URL. */
function groupPageUrl(slug, site = '') {
  const html = fs.readFileSync(path.join(siteDir(), site, 'groups', slug, 'index.html'), 'utf8');
  const m = html.match(/<link rel="canonical" href="([^"]+)">/);
  assert.ok(m, `groups/${slug}/ has a canonical link`);
  return m[1];
}

/** Prints `rel` (a leaflet page and maybe its #layout) to PDF and checks the sheet. */
async function printAndCheck(ctx, rel, stem, layout, ex) {
  const page = await ctx.newPage();
  try {
    const res = await page.goto(new URL(rel, server.url).href, { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    await page.emulateMedia({ media: 'print' });
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
    for (const w of layout.id === 'card' ? [] : ex.words || []) assert.ok(text.includes(w), `${rel}: the PDF text has "${w}"`);

    run('pdftoppm', ['-r', '150', '-png', '-singlefile', `${stem}.pdf`, stem]);
    const codes = run('zbarimg', ['--raw', '-q', `${stem}.png`]).split('\n').filter(Boolean);
    const want = groupPageUrl(ex.slug, ex.site);
    assert.equal(codes.length, layout.codes, `${rel}: ${layout.codes} QR code(s) found, got ${JSON.stringify(codes)}`);
    for (const c of codes) assert.equal(c, want, `${rel}: the QR code opens the group page`);
  } finally {
    await page.close();
  }
}

for (const mode of ['js', 'nojs']) {
  for (const ex of EXAMPLES) {
    for (const layout of LAYOUTS) {
      if (ex.paused && layout.id !== 'card') continue;
      const id = `${ex.slug}.${ex.prefix}${layout.id}`;
      const rel = `${leafletPage(ex.slug)}#${id}`;
      test(`${rel} prints on one ${layout.name} sheet with name, phone and a working QR code (${mode})`, { timeout: 60_000 }, async () => {
        await printAndCheck(contexts[mode], rel, path.join(outDir, `${id}-${mode}`), layout, ex);
      });
    }
  }
}

test('the group\'s own #slug prints its default: the A5 leaflet, or a paused group\'s card', { timeout: 60_000 }, async () => {
  for (const [ex, layout, stem] of [[EXAMPLES[0], LAYOUTS[0], 'default-a5'], [EXAMPLES[3], LAYOUTS[3], 'default-paused']]) {
    await printAndCheck(contexts.nojs, `${leafletPage(ex.slug)}#${ex.slug}`, path.join(outDir, stem), layout, ex);
  }
});

/** The ids of every layout on a sheets page's HTML, as its index links to them. */
const layoutIds = (html) => [...html.matchAll(/<a href="#([^"]+\.[^"]+)">/g)].map((m) => m[1]);

test('a Welsh sheets page prints a Welsh A5 leaflet on one sheet, its QR code opening the Welsh group page', { timeout: 60_000 }, async () => {
  const ex = { ...EXAMPLES[0], site: 'cy/', words: ['Angen help llaw?', 'Norwich'] };
  const rel = `cy/${leafletPage(ex.slug)}#${ex.slug}.a5`;
  const html = fs.readFileSync(path.join(siteDir(), 'cy', leafletPage(ex.slug), 'index.html'), 'utf8');
  assert.match(html, /<html lang="cy" dir="ltr">/);
  await printAndCheck(contexts.nojs, rel, path.join(outDir, 'cy-a5'), LAYOUTS[0], ex);
});

/** Every sheets page of the site (in every language) with the ids of its layouts. */
async function allLayouts() {
  const pages = (await listHtml(siteDir())).filter((p) => /^([a-z]{2}\/)?leaflets\/[^/]+\/\d+\/index\.html$/.test(p));
  return pages.map((rel) => {
    const html = fs.readFileSync(path.join(siteDir(), rel), 'utf8');
    return { rel: rel.replace(/index\.html$/, ''), ids: layoutIds(html) };
  });
}

/** What shows for the address's layout: the shown sections' ids and how many sheets. */
const shownNow = (page) => page.evaluate(() => {
  const shown = (e) => e.getClientRects().length > 0;
  return {
    sections: [...document.querySelectorAll('.layout')].filter(shown).map((l) => l.id),
    sheets: [...document.querySelectorAll('.sheet')].filter(shown).length,
  };
});

test('every layout of every leaflet of the site fits its sheet when printed, and shows alone', { timeout: 300_000 }, async () => {
  const all = await allLayouts();
  assert.ok(all.length >= 3, `found ${all.length} sheets pages`);
  const page = await contexts.nojs.newPage();
  await page.emulateMedia({ media: 'print' });
  const problems = [];
  for (const { rel, ids } of all) {
    for (const id of ids) {
      await page.goto(new URL(`${rel}#${id}`, server.url).href, { waitUntil: 'load' });
      // The A5 leaflet and the poster show the two-up section, one sheet of it.
      const [slug, layout] = id.split('.');
      const section = /(^|-)(a5|poster)$/.test(layout) ? `${slug}.${layout.replace(/(a5|poster)$/, 'a4-two-up')}` : id;
      const sheets = /a4-two-up$/.test(layout) ? 2 : 1;
      const shown = await shownNow(page);
      if (shown.sections.join() !== section || shown.sheets !== sheets) problems.push(`${rel}#${id}: shows ${JSON.stringify(shown)}`);
      const over = await page.$$eval('.sheet', (all) =>
        all
          .filter((s) => s.getClientRects().length > 0)
          .map((s, i) => ({ i, dh: s.scrollHeight - s.clientHeight, dw: s.scrollWidth - s.clientWidth }))
          .filter((s) => s.dh > 1 || s.dw > 1),
      );
      if (over.length) problems.push(`${rel}#${id}: ${JSON.stringify(over)}`);
    }
  }
  await page.close();
  assert.deepEqual(problems, [], `leaflets whose content is bigger than the paper:\n${problems.join('\n')}`);
});

test('each layout\'s screen preview and the leaflets pages fit a 320 px phone', { timeout: 120_000 }, async () => {
  const ctx = await newContext(browser, { viewport: { width: 320, height: 640 } });
  const page = await ctx.newPage();
  const problems = [];
  const pages = [];
  for (const ex of EXAMPLES.slice(0, 2)) {
    const html = fs.readFileSync(path.join(siteDir(), leafletPage(ex.slug), 'index.html'), 'utf8');
    for (const id of layoutIds(html)) pages.push(`${leafletPage(ex.slug)}#${id}`);
  }
  pages.push('leaflets/', 'leaflets/nr/', leafletPage(EXAMPLES[0].slug));
  for (const rel of pages) {
    await page.goto(new URL(rel, server.url).href, { waitUntil: 'load' });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 320) problems.push(`${rel}: ${width} px wide`);
  }
  await ctx.close();
  assert.deepEqual(problems, [], `pages wider than a 320 px phone:\n${problems.join('\n')}`);
});

test('the Print button calls window.print and is not printed', { timeout: 60_000 }, async () => {
  const page = await contexts.js.newPage();
  await page.addInitScript(() => {
    window.__printed = 0;
    window.print = () => { window.__printed += 1; };
  });
  const id = `${EXAMPLES[0].slug}.poster`;
  await page.goto(new URL(`${leafletPage(EXAMPLES[0].slug)}#${id}`, server.url).href, { waitUntil: 'load' });
  // The poster is the two-up section's first sheet: its button is that section's.
  const button = page.locator(`[id="${EXAMPLES[0].slug}.a4-two-up"] [data-print]`);
  await button.click();
  assert.equal(await page.evaluate(() => window.__printed), 1);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await button.isVisible(), false, 'the how-to with the button is hidden on paper');
  assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script');
  await page.close();
});
