// Gate: no horizontal scrolling at narrow widths (WCAG 1.4.10 Reflow, 1.4.4 Resize text).
//
// Browser zoom scales the CSS pixel: a window W device px wide at Z% zoom lays the
// page out in W / (Z/100) CSS px. So:
//   - 320 CSS px  = a 640 px window at 200%, and a 1280 px window at 400% (the WCAG
//                   reflow case) -- tested once, as a 320x640 viewport;
//   - 640 CSS px  = a 1280 px window at 200% -- tested as a 640x800 viewport.
// (deviceScaleFactor is not zoom: it changes device pixels, not the layout width.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext } from './lib/browser.mjs';
import { serveSite, siteDir, pagesForBrowserGates, pool, report } from './lib/site.mjs';

const VIEWPORTS = [
  { name: '320 px (640 @ 200%, 1280 @ 400%)', viewport: { width: 320, height: 640 } },
  { name: '640 px (1280 @ 200%)', viewport: { width: 640, height: 800 } },
];

let server, browser, pages;
before(async () => {
  server = await serveSite();
  browser = await launch();
  pages = await pagesForBrowserGates(siteDir(), 'reflow');
});
after(async () => {
  await browser?.close();
  await server?.close();
});

for (const { name, viewport } of VIEWPORTS) {
  test(`no horizontal scroll at ${name}`, { timeout: 600_000 }, async () => {
    const ctx = await newContext(browser, { viewport });
    const problems = [];
    await pool(pages, 3, async (rel) => {
      const page = await ctx.newPage();
      try {
        await page.goto(server.pageUrl(rel), { waitUntil: 'load' });
        const r = await page.evaluate(() => {
          const de = document.documentElement;
          const out = { scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, culprits: [] };
          if (de.scrollWidth <= de.clientWidth + 1) return out;
          // Name the innermost elements that stick out to the right.
          const wide = [...document.body.querySelectorAll('*')].filter(
            (el) => !el.ownerSVGElement && el.getBoundingClientRect().right > de.clientWidth + 1,
          );
          const innermost = wide.filter((el) => !wide.some((o) => o !== el && el.contains(o)));
          const describe = (el) => {
            const id = el.id ? `#${el.id}` : '';
            const c = (el.getAttribute('class') || '').trim();
            const cls = c ? `.${c.split(/\s+/).join('.')}` : '';
            return `${el.tagName.toLowerCase()}${id}${cls} (right=${Math.round(el.getBoundingClientRect().right)})`;
          };
          out.culprits = innermost.slice(0, 4).map(describe);
          return out;
        });
        if (r.scrollWidth > r.clientWidth + 1) {
          problems.push(`${rel}: scrollWidth ${r.scrollWidth} > clientWidth ${r.clientWidth}; sticking out: ${r.culprits.join(', ') || '?'}`);
        }
      } catch (err) {
        problems.push(`${rel}: ${err.message.split('\n')[0]}`);
      } finally {
        await page.close();
      }
    });
    await ctx.close();
    console.log(`reflow ${viewport.width}px: ${pages.length} pages checked`);
    assert.equal(problems.length, 0, report(`horizontal scrolling at ${viewport.width} CSS px`, problems));
  });
}
