// Gate: the site in Welsh, Somali and Arabic (issue #28), on the fixture
// tests/fixtures/languages-site (languages: [en, cy, so, ar]), in real Chromium:
//   - axe 0 violations and the Nu checker 0 errors on every language's pages;
//   - Welsh search: a postcode district answers in the words of the Welsh district page,
//     "Caerdydd" finds Cardiff, the Welsh words for kinds of help ("Siopa") find the
//     groups offering them, and results link to the Welsh pages;
//   - right to left: Arabic pages at 320 px have no sideways scroll, phone numbers and
//     postcodes read left to right, and an Arabic leaflet prints on one A5 sheet.
//
// The site comes from AIDMAP_LANGUAGES_SITE (run.sh builds it); without it the test
// builds the fixture with AIDMAP_BIN or the release/debug binary under target/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { launch, newContext } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { listHtml, report, REPO_ROOT } from './lib/site.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const VNU_JAR = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'languages-site');

function binary() {
  if (process.env.AIDMAP_BIN) return process.env.AIDMAP_BIN;
  for (const t of [process.env.CARGO_TARGET_DIR, path.join(REPO_ROOT, 'target')].filter(Boolean)) {
    for (const profile of ['release', 'debug']) {
      const bin = path.join(t, profile, 'aidmap');
      if (fs.existsSync(bin)) return bin;
    }
  }
  throw new Error('no AIDMAP_LANGUAGES_SITE and no aidmap binary to build tests/fixtures/languages-site');
}

function siteDir() {
  const given = process.env.AIDMAP_LANGUAGES_SITE;
  if (given) return path.resolve(given);
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aidmap-languages-')), 'site');
  execFileSync(binary(), ['build', '--root', FIXTURE, '--out', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  return dir;
}

let dir, server, browser;
before(async () => {
  dir = siteDir();
  // The fixture's base URL is https://example.org/dir/: served under /dir/.
  server = await startServer({ root: dir, prefix: '/dir/' });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const url = (rel) => new URL(rel, server.url).href;
const PAGES = ['', 'groups/cardiff-helpers/', 'groups/nr2-helpers/', 'postcodes/cf10/', 'postcodes/nr4/', 'postcodes/ab10/', 'areas/cf/', 'stories/first-week/', 'about/', 'about/add-your-group/', 'groups/', 'organisers/'];

test('axe: 0 WCAG 2.2 A/AA violations on the Welsh, Somali and Arabic pages', { timeout: 300_000 }, async () => {
  const ctx = await newContext(browser, { bypassCSP: true });
  const problems = [];
  for (const lang of ['cy', 'so', 'ar']) {
    for (const rel of PAGES) {
      const page = await ctx.newPage();
      try {
        await page.goto(url(`${lang}/${rel}`), { waitUntil: 'load' });
        await page.addScriptTag({ content: AXE_SOURCE });
        const result = await page.evaluate(() => window.axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'],
        }));
        for (const v of result.violations) problems.push(`${lang}/${rel}: [${v.impact}] ${v.id}: ${v.help} -> ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      } finally {
        await page.close();
      }
    }
  }
  await ctx.close();
  assert.equal(problems.length, 0, report('axe violations', problems));
});

test('vnu: 0 HTML errors on every page of every language', { timeout: 300_000 }, async () => {
  const files = (await listHtml(dir)).filter((f) => /^(cy|so|ar)\//.test(f) && !/postcodes\/[a-z]+\d/.test(f) || /^(cy|so|ar)\/postcodes\/(cf10|nr2|nr4)\//.test(f));
  const out = await new Promise((resolve, reject) => {
    const p = spawn('java', ['-jar', VNU_JAR, '--format', 'json', '--exit-zero-always', ...files], { cwd: dir });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', reject);
    p.on('close', () => resolve(err));
  });
  const messages = JSON.parse(out).messages.filter((m) => m.type === 'error');
  console.log(`vnu: ${files.length} pages in cy, so and ar`);
  assert.equal(messages.length, 0, report('vnu errors', messages.map((m) => `${m.url}:${m.lastLine}: ${m.message}`)));
});

/** Types `q` into the page's search box and returns the answer as shown. */
async function search(page, rel, q) {
  await page.goto(url(rel), { waitUntil: 'load' });
  await page.fill('#q', q);
  await page.press('#q', 'Enter');
  await page.waitForFunction(() => {
    const r = document.getElementById('results');
    return r && r.querySelector('.result-message') && !r.hasAttribute('aria-busy');
  });
  return page.evaluate(() => ({
    heading: document.querySelector('#results .result-heading')?.textContent,
    message: document.querySelector('#results .result-message').textContent,
    links: [...document.querySelectorAll('#results .result h3 a')].map((a) => a.getAttribute('href')),
    checked: [...document.querySelectorAll('#results .result .meta')].map((p) => p.textContent),
  }));
}

test('Welsh search: a district answers as its Welsh page does, and "Caerdydd" finds Cardiff', { timeout: 120_000 }, async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const pageMessage = fs.readFileSync(path.join(dir, 'cy/postcodes/cf10/index.html'), 'utf8').match(/<p class="result-message">([^<]*)<\/p>/)[1];
  const a = await search(page, 'cy/', 'CF10');
  assert.equal(a.message, pageMessage.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  assert.deepEqual(a.links.map((h) => new URL(h, page.url()).pathname), ['/dir/cy/groups/cardiff-helpers/']);
  const english = await search(page, '', 'CF10');
  assert.notEqual(a.message, english.message, 'the Welsh answer is not the English one');
  const c = await search(page, 'cy/', 'Caerdydd');
  assert.match(c.message, /CF\d/, `"Caerdydd" answers for a Cardiff district: ${c.message}`);
  await ctx.close();
});

test('Welsh search: the Welsh words for a kind of help find the groups the English words find', { timeout: 120_000 }, async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const paths = (a) => a.links.map((h) => new URL(h, page.url()).pathname.replace('/cy/', '/'));
  for (const [welsh, english] of [['Siopa', 'shopping'], ['presgripsiynau', 'prescriptions']]) {
    const cy = await search(page, 'cy/', welsh);
    const en = await search(page, '', english);
    assert.ok(en.links.length > 0, `${english} finds groups`);
    assert.deepEqual(paths(cy).sort(), paths(en).sort(), `${welsh} on cy/ finds what ${english} finds`);
    assert.ok(cy.links.every((h) => new URL(h, page.url()).pathname.includes('/cy/groups/')), 'Welsh pages');
  }
  await ctx.close();
});

test('Arabic pages at 320 px: no sideways scroll, numbers left to right', { timeout: 120_000 }, async () => {
  const ctx = await newContext(browser, { viewport: { width: 320, height: 640 } });
  const page = await ctx.newPage();
  for (const rel of ['ar/', 'ar/groups/cardiff-helpers/', 'ar/postcodes/cf10/', 'ar/about/']) {
    await page.goto(url(rel), { waitUntil: 'load' });
    const r = await page.evaluate(() => ({
      dir: document.documentElement.dir,
      wide: document.documentElement.scrollWidth,
      tels: [...document.querySelectorAll('.tel')].map((e) => [e.textContent, getComputedStyle(e).direction, getComputedStyle(e).unicodeBidi]),
    }));
    assert.equal(r.dir, 'rtl', rel);
    assert.ok(r.wide <= 320, `${rel}: ${r.wide} px wide at 320`);
    for (const [text, direction, bidi] of r.tels) {
      assert.equal(direction, 'ltr', `${rel}: ${text} is ${direction}`);
      assert.equal(bidi, 'isolate', `${rel}: ${text} is not isolated from the Arabic around it`);
    }
  }
  await ctx.close();
});

test('an Arabic leaflet prints right to left on one A5 sheet, beside English and on the Arabic pages alone', { timeout: 120_000 }, async () => {
  const ctx = await newContext(browser, { javaScriptEnabled: false });
  const page = await ctx.newPage();
  const keep = process.env.AIDMAP_LEAFLET_PDF_DIR;
  const dir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'aidmap-ar-leaflet-'));
  for (const [rel, stem] of [['leaflets/nr/1/#nr2-helpers.ar-a5', 'ar-bilingual'], ['ar/leaflets/nr/1/#nr2-helpers.a5', 'ar-alone']]) {
    await page.emulateMedia({ media: 'screen' });
    await page.goto(url(rel), { waitUntil: 'load' });
    // The A5 is the two-up section's first sheet, the one shown.
    const rtl = await page.evaluate(() => {
      const shown = [...document.querySelectorAll('.sheet')].filter((s) => s.getClientRects().length > 0);
      return shown.length === 1 ? getComputedStyle(shown[0]).direction : `${shown.length} sheets shown`;
    });
    assert.equal(rtl, 'rtl', `${rel}: the Arabic sheet is right to left`);
    await page.emulateMedia({ media: 'print' });
    const pdf = path.join(dir, `${stem}.pdf`);
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    assert.match(info, /^Pages:\s+1$/m, `${rel}\n${info}`);
    const size = info.match(/^Page size:\s+([\d.]+) x ([\d.]+) pts/m);
    assert.ok(Math.abs(Number(size[1]) - 419.5) < 1.5 && Math.abs(Number(size[2]) - 595.3) < 1.5, `${rel}\n${info}`);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    assert.ok(text.includes('01632 960001'), `${rel}: the phone number is on the sheet, digits in order`);
  }
  await ctx.close();
});
