// Gate: page weight, as gzip (node:zlib, default level) of each response.
//   - home page: HTML + its CSS < 14 KB  (the first TCP round trip: ~10 segments
//     of ~1460 bytes, so the page can render after one round trip)
//   - every group page (groups/<slug>/index.html): HTML + CSS, inline SVG
//     included, < 30 KB
// KB = 1024 bytes. Prints a table for the home page, every group page, one area
// page and one postcode page. "all raw" is every byte the server sent for that
// page load (HTML, CSS, JS, images, fetches), uncompressed.
//
// Each page loads in a fresh browser context, so nothing comes from cache.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { launch, newContext } from './lib/browser.mjs';
import { serveSite, siteDir, listHtml, isGroupPage, isAreaPage, isPostcodePage, pool, report } from './lib/site.mjs';

const KB = 1024;
const HOME_LIMIT = 14 * KB;
const GROUP_LIMIT = 30 * KB;

let server, browser;
before(async () => {
  server = await serveSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function measure(rel) {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const bodies = []; // [{ kind, raw, gz }]
  const pending = [];
  page.on('response', (r) => {
    const kind = r.request().resourceType();
    if (!['document', 'stylesheet', 'script'].includes(kind) || r.status() >= 300) return;
    pending.push(
      r.body().then(
        (b) => bodies.push({ kind, raw: b.length, gz: zlib.gzipSync(b).length }),
        () => {},
      ),
    );
  });
  server.take();
  try {
    await page.goto(server.pageUrl(rel), { waitUntil: 'load' });
    await page.waitForTimeout(100);
    await Promise.all(pending);
  } finally {
    await ctx.close();
  }
  const allRaw = server.take().reduce((s, e) => s + e.bytes, 0);
  const sum = (kind, f) => bodies.filter((b) => b.kind === kind).reduce((s, b) => s + b[f], 0);
  const m = {
    rel,
    htmlRaw: sum('document', 'raw'),
    htmlGz: sum('document', 'gz'),
    cssRaw: sum('stylesheet', 'raw'),
    cssGz: sum('stylesheet', 'gz'),
    jsGz: sum('script', 'gz'),
    allRaw,
  };
  m.totalGz = m.htmlGz + m.cssGz;
  return m;
}

const kb = (n) => (n / KB).toFixed(1).padStart(6);

test('page weight: home < 14 KB, group pages < 30 KB (gzip HTML+CSS)', { timeout: 600_000 }, async () => {
  const all = await listHtml(siteDir());
  const groups = all.filter(isGroupPage);
  const area = all.find(isAreaPage);
  const postcode = all.find(isPostcodePage);
  const rows = [
    { rel: 'index.html', limit: HOME_LIMIT },
    ...groups.map((rel) => ({ rel, limit: GROUP_LIMIT })),
    ...(area ? [{ rel: area, limit: null }] : []),
    ...(postcode ? [{ rel: postcode, limit: null }] : []),
  ];
  if (!groups.length) console.log('weight: no groups/<slug>/index.html pages found');
  // One at a time: "all raw" comes from the server's log, which the loads share.
  const results = await pool(rows, 1, async (row) => ({ ...row, ...(await measure(row.rel)) }));

  const problems = [];
  const lines = [
    `${'page'.padEnd(56)} ${'html'.padStart(6)} ${'html.gz'.padStart(7)} ${'css.gz'.padStart(6)} ${'gz sum'.padStart(6)} ${'js.gz'.padStart(6)} ${'all raw'.padStart(7)}  limit (KB)`,
  ];
  for (const r of results) {
    const over = r.limit != null && r.totalGz >= r.limit;
    if (r.htmlRaw === 0) problems.push(`${r.rel}: no HTML response measured`);
    if (over) problems.push(`${r.rel}: ${r.totalGz} bytes gzip HTML+CSS >= ${r.limit}`);
    lines.push(
      `${r.rel.padEnd(56)} ${kb(r.htmlRaw)} ${kb(r.htmlGz).padStart(7)} ${kb(r.cssGz)} ${kb(r.totalGz)} ${kb(r.jsGz)} ${kb(r.allRaw).padStart(7)}  ${r.limit == null ? '-' : `< ${r.limit / KB}${over ? '  OVER' : ''}`}`,
    );
  }
  console.log(`page weight (KB):\n${lines.join('\n')}`);
  assert.equal(problems.length, 0, report('pages over their weight budget', problems));
});
