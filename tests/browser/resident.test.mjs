// The resident's path (issue #24), checked as facts in a real browser: the answer to
// "Find help" is focused and in view on a small phone; on a group's page the call
// button comes first and fits the first screen at 150 % text; every tap target is
// at least 24 by 24 CSS px (or spaced as WCAG 2.2 2.5.8 allows); without JavaScript a
// typed postcode reaches its district's page; a closed group's page has no tel: link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, newContext } from './lib/browser.mjs';
import { serveSite, siteDir, report } from './lib/site.mjs';

let server, browser;
before(async () => {
  server = await serveSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const site = siteDir();
/** The built site's group pages, by status (read from the page's own article class). */
function groupsWithStatus(status) {
  const dir = path.join(site, 'groups');
  return fs.readdirSync(dir).filter((slug) => {
    const file = path.join(dir, slug, 'index.html');
    return fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(`class="group status-${status}"`);
  });
}

/** A context whose browser default text size is `scale` times 16 px, as a resident sets it. */
async function pageAt(width, height, scale = 1, opts = {}) {
  const ctx = await newContext(browser, { viewport: { width, height }, ...opts });
  const page = await ctx.newPage();
  if (scale !== 1) {
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: Math.round(16 * scale), fixed: Math.round(13 * scale) } });
  }
  return { ctx, page };
}

test('"Find help" on a 320x568 phone: the answer is focused, in view, and names the query', { timeout: 60_000 }, async () => {
  const { ctx, page } = await pageAt(320, 568);
  await page.goto(server.url, { waitUntil: 'load' });
  await page.fill('#q', 'NR2 3AB');
  await page.press('#q', 'Enter');
  await page.waitForSelector('#results .result h3');
  const got = await page.evaluate(() => {
    const f = document.activeElement, r = f.getBoundingClientRect();
    return { inResults: !!f.closest('#results'), text: f.textContent, top: r.top, bottom: r.bottom, h: innerHeight };
  });
  assert.ok(got.inResults, 'focus moved into the results');
  assert.equal(got.text, 'Help near NR2 3AB');
  assert.ok(got.top >= 0 && got.bottom <= got.h, `the focused heading is on screen (${got.top}..${got.bottom} of ${got.h})`);
  // The card: a call button at least 44 px tall whose number does not break.
  const call = await page.$eval('#results .result .call', (a) => ({ h: a.getBoundingClientRect().height, text: a.textContent, lines: a.querySelector('.tel').getClientRects().length }));
  assert.ok(call.h >= 44, `call button ${call.h} px tall`);
  assert.match(call.text, /^Call 01632 960214$/);
  assert.equal(call.lines, 1, 'the phone number is on one line');
  assert.match(await page.textContent('#results .result'), /Checked \d{1,2} [A-Z][a-z]+ \d{4}/);
  await ctx.close();
});

test('while typing, a name only starts: suggestions, never an answer ("Wils")', { timeout: 60_000 }, async () => {
  const { ctx, page } = await pageAt(375, 812);
  await page.goto(server.url, { waitUntil: 'load' });
  await page.type('#q', 'Wils', { delay: 30 });
  await page.waitForSelector('#results .result-places a');
  await page.waitForTimeout(400);
  const r = await page.evaluate(() => ({
    cards: document.querySelectorAll('#results .result').length,
    text: document.getElementById('results').textContent,
    focusInBox: document.activeElement?.id === 'q',
  }));
  assert.equal(r.cards, 0, 'no group is offered while typing');
  assert.doesNotMatch(r.text, / is in [A-Z]{1,2}\d/, 'no place is asserted');
  assert.ok(r.focusInBox, 'typing keeps the focus in the box');
  // Pressed, a name that only starts a place is still a choice, not an answer.
  await page.press('#q', 'Enter');
  await page.waitForSelector('#results .result-heading');
  assert.match(await page.textContent('#results .result-message'), /^Places starting “Wils”/);
  await ctx.close();
});

test('a group page: the call button is the first thing to tap after the name, on the first screen at 375x812 and 150 % text', { timeout: 60_000 }, async () => {
  const { ctx, page } = await pageAt(375, 812, 1.5);
  const active = groupsWithStatus('active');
  assert.ok(active.length > 0);
  for (const slug of active) {
    await page.goto(`${server.url}groups/${slug}/`, { waitUntil: 'load' });
    const has = await page.$('main .contact-first .call');
    if (!has) continue; // no phone: nothing to call
    const r = await page.evaluate(() => {
      const h1 = document.querySelector('main h1');
      const all = [...document.querySelectorAll('a[href], button, input, select, textarea, summary')];
      const after = all.find((e) => h1.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING);
      const rect = after.getBoundingClientRect();
      return { first: after.className, href: after.getAttribute('href'), bottom: rect.bottom, h: innerHeight, height: rect.height };
    });
    assert.match(r.first, /\bcall\b/, `${slug}: first interactive element after the name is ${r.href}`);
    assert.match(r.href, /^tel:/);
    assert.ok(r.bottom <= r.h, `${slug}: call button ends at ${r.bottom} px, below the first screen (${r.h})`);
    assert.ok(r.height >= 44, `${slug}: call button ${r.height} px tall`);
  }
  await ctx.close();
});

/** Tap targets smaller than 24x24 whose 24 px circle touches another target (WCAG 2.2
 *  2.5.8), leaving out links inside a sentence (the "inline" exception) and map shapes. */
async function smallTargets(page) {
  return page.evaluate(() => {
    const targets = [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
      .filter((e) => e.offsetParent !== null && !e.closest('svg'))
      .map((e) => ({ e, r: e.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && r.height > 0);
    const inline = (e) => {
      const p = e.parentElement;
      return getComputedStyle(e).display === 'inline' && p && p.textContent.trim().length > e.textContent.trim().length;
    };
    const near = (c, r) => {
      const dx = Math.max(r.left - c.x, 0, c.x - r.right), dy = Math.max(r.top - c.y, 0, c.y - r.bottom);
      return dx * dx + dy * dy < 144;
    };
    const bad = [];
    for (const t of targets) {
      if (t.r.width >= 24 && t.r.height >= 24) continue;
      if (inline(t.e)) continue;
      const c = { x: t.r.left + t.r.width / 2, y: t.r.top + t.r.height / 2 };
      const clash = targets.find((o) => o !== t && (near(c, o.r) || (o.r.width < 24 || o.r.height < 24) && Math.hypot(c.x - o.r.left - o.r.width / 2, c.y - o.r.top - o.r.height / 2) < 24));
      if (clash) bad.push(`${t.e.textContent.trim().slice(0, 30) || t.e.outerHTML.slice(0, 40)} (${Math.round(t.r.width)}x${Math.round(t.r.height)}) next to ${clash.e.textContent.trim().slice(0, 30)}`);
    }
    return bad;
  });
}

test('no tap target under 24x24 CSS px, or closer to another than WCAG 2.5.8 allows', { timeout: 120_000 }, async () => {
  const pages = ['', 'postcodes/', 'postcodes/nr/', 'postcodes/nr2/', 'postcodes/nr5/', 'groups/', 'about/', 'organisers/', 'stories/', '404.html',
    ...groupsWithStatus('active').slice(0, 3).map((s) => `groups/${s}/`), ...groupsWithStatus('closed').map((s) => `groups/${s}/`)];
  const problems = [];
  for (const width of [320, 1280]) {
    const { ctx, page } = await pageAt(width, 800);
    for (const p of pages) {
      if (!fs.existsSync(path.join(site, p.endsWith('/') || p === '' ? `${p}index.html` : p))) continue;
      await page.goto(server.url + p, { waitUntil: 'load' });
      for (const b of await smallTargets(page)) problems.push(`${width}px ${p || 'home'}: ${b}`);
    }
    await ctx.close();
  }
  assert.equal(problems.length, 0, report('tap targets too small', problems));
});

test('without JavaScript, a typed postcode reaches its district page: one honest step, no loop', { timeout: 60_000 }, async () => {
  const { ctx, page } = await pageAt(375, 812, 1, { javaScriptEnabled: false });
  await page.goto(server.url, { waitUntil: 'load' });
  await page.fill('#q', 'NR2 3AB');
  await Promise.all([page.waitForURL(/postcodes\/\?q=NR2/), page.press('#q', 'Enter')]);
  // The step: no second search box to submit again, and words saying what to do.
  assert.equal(await page.locator('form.search').isVisible(), false, 'no box to loop on');
  assert.match(await page.textContent('main'), /first half of your postcode/);
  await Promise.all([page.waitForURL(/postcodes\/nr\/$/), page.click('a[href$="postcodes/nr/"]')]);
  await Promise.all([page.waitForURL(/postcodes\/nr2\/$/), page.click('a[href$="postcodes/nr2/"]')]);
  assert.match(await page.textContent('main'), /NR2 Covid Community Response/);
  assert.ok(await page.locator('main form.search').isVisible(), 'the district page carries the search box');
  await ctx.close();
});

test('a closed group\'s page has no way to reach it: no tel:, no mailto: to the group, no group links', { timeout: 60_000 }, async () => {
  const closed = groupsWithStatus('closed');
  assert.ok(closed.length > 0, 'the example has a closed group');
  const { ctx, page } = await pageAt(375, 812);
  for (const slug of closed) {
    await page.goto(`${server.url}groups/${slug}/`, { waitUntil: 'load' });
    const r = await page.evaluate(() => ({
      tel: [...document.querySelectorAll('a[href^="tel:"]')].map((a) => a.href),
      mail: [...document.querySelectorAll('main a[href^="mailto:"]')].map((a) => a.href).filter((h) => !/subject=(Problem|Update)/.test(h)),
      // The organisers' section may link to the directory's own repository.
      away: [...document.querySelectorAll('main a[href^="http"]')].filter((a) => !a.closest('.organisers')).map((a) => a.href).filter((h) => !h.startsWith(location.origin)),
      text: document.querySelector('main').textContent,
    }));
    assert.deepEqual(r.tel, [], `${slug}: tel: links`);
    assert.deepEqual(r.mail, [], `${slug}: mailto: links`);
    assert.deepEqual(r.away, [], `${slug}: links off the site`);
    assert.match(r.text, /has closed/);
    assert.match(r.text, /carried on by|taking requests/, `${slug}: says where to go instead`);
  }
  await ctx.close();
});
