// Gate: axe-core finds no WCAG 2.2 A/AA violations on any page tested.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { launch, newContext } from './lib/browser.mjs';
import { serveSite, siteDir, pagesForBrowserGates, pool, report } from './lib/site.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let server, browser;
before(async () => {
  server = await serveSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('axe-core: 0 WCAG 2.2 A/AA violations', { timeout: 600_000 }, async () => {
  const pages = await pagesForBrowserGates(siteDir(), 'axe');
  // JS on (the page as most people get it) but the site's CSP would block an
  // injected <script>; bypassCSP lets axe in without changing what is checked.
  const ctx = await newContext(browser, { bypassCSP: true });
  const problems = [];
  await pool(pages, 2, async (rel) => {
    const page = await ctx.newPage();
    try {
      await page.goto(server.pageUrl(rel), { waitUntil: 'load' });
      await page.addScriptTag({ content: AXE_SOURCE });
      const result = await page.evaluate(
        (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
        TAGS,
      );
      for (const v of result.violations) {
        const targets = v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ');
        const more = v.nodes.length > 5 ? ` (+${v.nodes.length - 5} more)` : '';
        problems.push(`${rel}: [${v.impact}] ${v.id}: ${v.help} -> ${targets}${more}`);
      }
    } catch (err) {
      problems.push(`${rel}: could not run axe: ${err.message.split('\n')[0]}`);
    } finally {
      await page.close();
    }
  });
  await ctx.close();
  console.log(`axe: ${pages.length} pages checked`);
  assert.equal(problems.length, 0, report('axe violations', problems));
});
