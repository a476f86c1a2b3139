// Gate: the maps help a resident (issue 24, "Maps that help"), measured as rendered:
//   - every map label is at least 11 CSS px on a 375 px phone (its computed font size
//     times the SVG's scale, and the height of its box, getBoundingClientRect);
//   - covered areas (.aidmap-covered) have at least 3:1 contrast (WCAG 1.4.11) against
//     the land and the sea around them, from the fills the browser computes;
//   - no letterbox: the SVG's box has its viewBox's shape, at 375 and 1280 px;
//   - districts are links that resolve, and clicking inside one opens its page;
//   - a group that covers only sectors (MK45 3) shades those sectors, not the districts;
//   - on a phone the home page's list of areas comes before its map.
// Pages: the home page, MK45's district page, one area page and every group page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, newContext } from './lib/browser.mjs';
import { serveSite, siteDir, listHtml, isGroupPage, isAreaPage, pool, report } from './lib/site.mjs';

const MIN_LABEL_PX = 11;
const MIN_CONTRAST = 3;
const SECTOR_GROUP = 'groups/wilstead-and-wixams-good-neighbours/index.html';

let server, browser, pages;
before(async () => {
  server = await serveSite();
  browser = await launch();
  const all = await listHtml(siteDir());
  pages = [
    'index.html',
    'postcodes/mk45/index.html',
    ...all.filter(isAreaPage).slice(0, 1),
    ...all.filter(isGroupPage),
  ].filter((rel) => all.includes(rel));
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Everything the gates need from one page's maps, measured in the page. */
function measureMaps() {
  const rgb = (c) => (c.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const contrast = (a, b) => {
    const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  return [...document.querySelectorAll('svg.aidmap-map')].map((svg) => {
    const box = svg.getBoundingClientRect();
    const vb = svg.viewBox.baseVal;
    const scale = box.width / vb.width;
    const labels = [...svg.querySelectorAll('text')].map((t) => ({
      text: t.textContent,
      px: parseFloat(getComputedStyle(t).fontSize) * scale,
      height: t.getBoundingClientRect().height,
    }));
    const fill = (sel) => {
      const el = svg.querySelector(sel);
      return el ? getComputedStyle(el).fill : null;
    };
    const covered = [...svg.querySelectorAll('.aidmap-covered')].map((el) => getComputedStyle(el).fill);
    const land = fill('.aidmap-land');
    const sea = fill('.aidmap-sea');
    const contrasts = covered.flatMap((c) =>
      [['land', land], ['sea', sea]].filter(([, b]) => b).map(([name, b]) => ({ against: name, fill: c, ratio: contrast(c, b) })),
    );
    const links = [...svg.querySelectorAll('a')].map((a) => ({
      href: a.getAttribute('href'),
      url: a.href.baseVal ? new URL(a.href.baseVal, location.href).href : null,
      name: a.getAttribute('aria-label'),
    }));
    return {
      id: svg.querySelector('title')?.id,
      box: { width: box.width, height: box.height },
      viewBox: { width: vb.width, height: vb.height },
      labels,
      contrasts,
      links,
    };
  });
}

test('map labels are at least 11 px on a 375 px phone', { timeout: 300_000 }, async () => {
  const ctx = await newContext(browser, { viewport: { width: 375, height: 812 } });
  const problems = [];
  let seen = 0;
  await pool(pages, 3, async (rel) => {
    const page = await ctx.newPage();
    try {
      await page.goto(server.pageUrl(rel), { waitUntil: 'load' });
      for (const map of await page.evaluate(measureMaps)) {
        for (const l of map.labels) {
          seen++;
          if (l.px < MIN_LABEL_PX || l.height < MIN_LABEL_PX) {
            problems.push(`${rel} ${map.id}: "${l.text}" is ${l.px.toFixed(1)} px (box ${l.height.toFixed(1)} px high)`);
          }
        }
      }
    } finally {
      await page.close();
    }
  });
  await ctx.close();
  assert.ok(seen > 0, 'no map labels found');
  assert.equal(problems.length, 0, report('labels under 11 px at 375 px', problems));
});

for (const width of [375, 1280]) {
  test(`covered areas contrast 3:1, links resolve, no letterbox (${width} px)`, { timeout: 300_000 }, async () => {
    const ctx = await newContext(browser, { viewport: { width, height: 900 } });
    const problems = [];
    const hrefs = new Set();
    let covered = 0;
    await pool(pages, 3, async (rel) => {
      const page = await ctx.newPage();
      try {
        await page.goto(server.pageUrl(rel), { waitUntil: 'load' });
        const maps = await page.evaluate(measureMaps);
        if (maps.length === 0) problems.push(`${rel}: no map`);
        for (const map of maps) {
          const boxAspect = map.box.width / map.box.height;
          const vbAspect = map.viewBox.width / map.viewBox.height;
          if (Math.abs(boxAspect / vbAspect - 1) > 0.02) {
            problems.push(`${rel} ${map.id}: box ${map.box.width}x${map.box.height} for a ${map.viewBox.width}x${map.viewBox.height} viewBox (letterboxed)`);
          }
          for (const c of map.contrasts) {
            covered++;
            if (c.ratio < MIN_CONTRAST) problems.push(`${rel} ${map.id}: covered ${c.fill} is ${c.ratio.toFixed(2)}:1 against the ${c.against}`);
          }
          if (map.links.length === 0) problems.push(`${rel} ${map.id}: no district links`);
          for (const l of map.links) {
            if (!l.name) problems.push(`${rel} ${map.id}: link ${l.href} has no name`);
            hrefs.add(l.url);
          }
        }
      } finally {
        await page.close();
      }
    });
    assert.ok(covered > 0, 'no covered area measured');
    // Every district or area a map links to is a page of the site.
    for (const url of hrefs) {
      const rel = decodeURIComponent(new URL(url).pathname).replace(/^\//, '');
      const file = path.join(siteDir(), server.prefix && server.prefix !== '/' ? rel.slice(server.prefix.length - 1) : rel, 'index.html');
      if (!fs.existsSync(file)) problems.push(`a map links to ${url}, which has no page (${file})`);
    }
    await ctx.close();
    assert.equal(problems.length, 0, report(`maps at ${width} px`, problems));
  });
}

test('clicking inside a district on a map opens its page', { timeout: 120_000 }, async () => {
  const ctx = await newContext(browser, { viewport: { width: 375, height: 812 } });
  const page = await ctx.newPage();
  await page.goto(server.pageUrl('postcodes/mk45/index.html'), { waitUntil: 'load' });
  // A point inside MK44's outline on MK45's map, found with the browser's own hit test.
  const point = await page.evaluate(() => {
    const a = document.querySelector('svg.aidmap-map a[href$="postcodes/mk44/"]');
    const shape = a.querySelector('path, circle');
    const svg = shape.ownerSVGElement;
    const b = shape.getBBox();
    const m = shape.getScreenCTM();
    for (let i = 1; i < 20; i++) {
      for (let j = 1; j < 20; j++) {
        const p = svg.createSVGPoint();
        p.x = b.x + (b.width * i) / 20;
        p.y = b.y + (b.height * j) / 20;
        if (!shape.isPointInFill(p)) continue;
        const s = p.matrixTransform(m);
        const hit = document.elementFromPoint(s.x, s.y);
        if (hit && hit.closest('a') === a) return { x: s.x, y: s.y };
      }
    }
    return null;
  });
  assert.ok(point, 'no clickable point inside MK44 on the MK45 map');
  await Promise.all([page.waitForURL(/postcodes\/mk44\/$/), page.mouse.click(point.x, point.y)]);
  assert.match(await page.locator('h1').innerText(), /MK44/);
  await ctx.close();
});

test('a group covering only sectors shades those sectors, not their districts', { timeout: 120_000 }, async () => {
  const ctx = await newContext(browser, { viewport: { width: 375, height: 812 } });
  const page = await ctx.newPage();
  await page.goto(server.pageUrl(SECTOR_GROUP), { waitUntil: 'load' });
  const r = await page.evaluate(() => {
    const svg = document.querySelector('svg.aidmap-map');
    const covered = [...svg.querySelectorAll('.aidmap-covered')];
    const whole = covered.filter((el) => !el.classList.contains('aidmap-sector'));
    // MK45's own outline (drawn as a neighbour) and the covered sector cells in it.
    const outline = [...svg.querySelectorAll('a[href$="postcodes/mk45/"] path')].find(
      (p) => !p.closest('.aidmap-covered') && !p.classList.contains('aidmap-covered'),
    );
    const cells = covered.filter((el) => el.closest('a')?.getAttribute('href').endsWith('postcodes/mk45/'));
    if (!outline || cells.length === 0) return { whole: whole.length, outline: !!outline, cells: cells.length };
    // Sample MK45's outline on a grid: how much of it is shaded?
    const b = outline.getBBox();
    let inside = 0;
    let shaded = 0;
    for (let i = 0; i < 40; i++) {
      for (let j = 0; j < 40; j++) {
        const p = svg.createSVGPoint();
        p.x = b.x + (b.width * (i + 0.5)) / 40;
        p.y = b.y + (b.height * (j + 0.5)) / 40;
        if (!outline.isPointInFill(p)) continue;
        inside++;
        if (cells.some((c) => c.isPointInFill(p))) shaded++;
      }
    }
    const key = [...document.querySelectorAll('.map-key li')].map((li) => li.textContent);
    return { whole: whole.length, outline: true, cells: cells.length, inside, shaded, key };
  });
  await ctx.close();
  assert.equal(r.whole, 0, 'no whole district is shaded');
  assert.ok(r.outline && r.cells > 0, `MK45 outlined with its sector shaded: ${JSON.stringify(r)}`);
  assert.ok(r.shaded > 0, `part of MK45 is shaded: ${JSON.stringify(r)}`);
  assert.ok(r.shaded < r.inside * 0.6, `only part of MK45 is shaded: ${r.shaded} of ${r.inside} samples`);
  assert.ok(r.key.some((k) => /sector/i.test(k) && /estimated/.test(k)), `the key says sectors are estimated: ${r.key}`);
});

test('on a phone the home page lists its areas before the map', { timeout: 60_000 }, async () => {
  const ctx = await newContext(browser, { viewport: { width: 375, height: 812 } });
  const page = await ctx.newPage();
  await page.goto(server.pageUrl('index.html'), { waitUntil: 'load' });
  const r = await page.evaluate(() => ({
    list: document.querySelector('ul.areas')?.getBoundingClientRect().top,
    map: document.querySelector('svg.aidmap-map')?.getBoundingClientRect().top,
  }));
  await ctx.close();
  assert.ok(r.list !== undefined && r.map !== undefined, JSON.stringify(r));
  assert.ok(r.list < r.map, `areas at ${r.list} px, map at ${r.map} px`);
});
