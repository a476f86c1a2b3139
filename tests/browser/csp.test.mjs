// Gate: the site's Content-Security-Policy (from its `_headers` file, which the
// test server sends like Netlify / Cloudflare Pages would) is never violated:
// no blocked inline style or script, no blocked image, font or fetch.
//
// Violations are caught twice: a `securitypolicyviolation` listener added with
// addInitScript (init scripts run whatever the CSP says), and console messages
// mentioning "Content Security Policy". Skipped (not failed) while the site has
// no `_headers` file or no CSP for `/*`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, newContext, visitPage } from './lib/browser.mjs';
import { parseHeadersFile } from './lib/server.mjs';
import { serveSite, siteDir, pagesForBrowserGates, pool, report } from './lib/site.mjs';

function siteCsp() {
  const file = path.join(siteDir(), '_headers');
  if (!fs.existsSync(file)) return { skip: `no _headers file in ${siteDir()}: CSP gate skipped` };
  const rule = parseHeadersFile(fs.readFileSync(file, 'utf8')).find((r) => r.pattern === '/*');
  const csp = rule?.headers.find(([n]) => n.toLowerCase() === 'content-security-policy');
  if (!csp) return { skip: '_headers has no Content-Security-Policy for /*: CSP gate skipped' };
  return { csp: csp[1] };
}

let server, browser;
const info = siteCsp();
before(async () => {
  if (info.skip) return;
  server = await serveSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('CSP from _headers: no violations on any page', { timeout: 600_000, skip: info.skip || false }, async () => {
  console.log(`CSP: ${info.csp}`);
  const pages = await pagesForBrowserGates(siteDir(), 'CSP');
  const ctx = await newContext(browser);
  const problems = [];
  await pool(pages, 3, async (rel) => {
    const page = await ctx.newPage();
    try {
      const v = await visitPage(page, server.pageUrl(rel), { settleMs: 200 });
      const sent = v.response?.headers()['content-security-policy'];
      if (!sent) problems.push(`${rel}: the document was served without a CSP header`);
      const seen = new Set();
      for (const c of v.csp) {
        const s = `${rel}: blocked by ${c.directive}: ${c.blocked || '(inline)'}${c.source ? ` at ${c.source}:${c.line}` : ''}${c.sample ? ` «${c.sample}»` : ''}`;
        if (!seen.has(s)) problems.push(s);
        seen.add(s);
      }
      if (!v.csp.length) for (const m of v.cspConsole) problems.push(`${rel}: ${m.slice(0, 300)}`);
    } catch (err) {
      problems.push(`${rel}: ${err.message.split('\n')[0]}`);
    } finally {
      await page.close();
    }
  });
  await ctx.close();
  console.log(`CSP: ${pages.length} pages checked`);
  assert.equal(problems.length, 0, report('Content-Security-Policy violations', problems));
});
