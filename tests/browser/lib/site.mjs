// Where the built site is, which pages to test, and small shared helpers.
//
// Environment (set by tests/browser/run.sh):
//   AIDMAP_SITE                 built site folder (default tests/browser/out/site)
//   AIDMAP_BASE_URL             base URL the root build was made with (optional; links
//                               starting with it count as internal)
//   AIDMAP_SUBPATH_SITE         the same site built with a sub-path base URL (optional)
//   AIDMAP_SUBPATH_BASE_URL     that base URL, e.g. http://127.0.0.1:PORT/sub/path/
//   AIDMAP_POSTCODE_SAMPLE      postcode pages the expensive gates visit (default 20)
//   AIDMAP_MAX_PAGES            cap on other pages the expensive gates visit (default 400)

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const BROWSER_DIR = path.resolve(HERE, '..');
export const REPO_ROOT = path.resolve(BROWSER_DIR, '..', '..');

export function siteDir() {
  const dir = path.resolve(process.env.AIDMAP_SITE || path.join(BROWSER_DIR, 'out', 'site'));
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(
      `No built site at ${dir} (no index.html). Run tests/browser/run.sh, or set AIDMAP_SITE.`,
    );
  }
  return dir;
}

/** { dir, baseUrl, prefix } of the sub-path build, or null when there is none. */
export function subpathSite() {
  const dir = process.env.AIDMAP_SUBPATH_SITE;
  if (!dir) return null;
  const baseUrl = process.env.AIDMAP_SUBPATH_BASE_URL || 'http://127.0.0.1/sub/path/';
  const u = new URL(baseUrl);
  return { dir: path.resolve(dir), baseUrl: u.href, prefix: u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/` };
}

/** Every *.html file under dir, as sorted '/'-separated paths relative to dir. */
export async function listHtml(dir) {
  const out = [];
  async function walk(d, rel) {
    const entries = await fsp.readdir(d, { withFileTypes: true });
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(d, e.name), r);
      else if (e.isFile() && /\.html?$/i.test(e.name)) out.push(r);
    }
  }
  await walk(dir, '');
  return out.sort();
}

/** Every file under dir with one of the extensions ('.css'), relative, sorted. */
export async function listFiles(dir, exts) {
  const out = [];
  async function walk(d, rel) {
    for (const e of await fsp.readdir(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(d, e.name), r);
      else if (e.isFile() && exts.includes(path.extname(e.name).toLowerCase())) out.push(r);
    }
  }
  await walk(dir, '');
  return out.sort();
}

// Any language's copy counts (`cy/postcodes/nr2/`): a second language doubles the pages.
export const isPostcodePage = (rel) => /^(?:[a-z]{2,3}\/)?postcodes\/[^/]+\/index\.html$/.test(rel);
export const isGroupPage = (rel) => /^(?:[a-z]{2,3}\/)?groups\/[^/]+\/index\.html$/.test(rel);
export const isAreaPage = (rel) => /^(?:[a-z]{2,3}\/)?areas\/.+\/index\.html$/.test(rel);

/** n items spread evenly over a sorted list (deterministic: same site, same sample). */
export function spread(list, n) {
  if (list.length <= n) return list.slice();
  const out = [];
  for (let i = 0; i < n; i++) out.push(list[Math.floor((i * list.length) / n)]);
  return out;
}

/**
 * Pages for the expensive (per-page browser) gates: every non-postcode page (capped)
 * plus an even sample of postcode pages. Prints what it left out.
 */
export async function pagesForBrowserGates(dir, label = '') {
  const all = await listHtml(dir);
  const postcode = all.filter(isPostcodePage);
  const other = all.filter((p) => !isPostcodePage(p));
  const pcN = Number(process.env.AIDMAP_POSTCODE_SAMPLE ?? 20);
  const maxOther = Number(process.env.AIDMAP_MAX_PAGES ?? 400);
  const chosen = [...spread(other, maxOther), ...spread(postcode, pcN)];
  if (chosen.length < all.length) {
    console.log(
      `${label}: ${chosen.length} of ${all.length} pages ` +
        `(${Math.min(other.length, maxOther)}/${other.length} others, ${Math.min(postcode.length, pcN)}/${postcode.length} postcode pages)`,
    );
  }
  return chosen;
}

/**
 * { baseUrl, prefix } of the root build: AIDMAP_BASE_URL if set, else the
 * <link rel="canonical"> of its index.html (a build made with a default base URL
 * such as https://example.org/aidmap/ has root-relative links under /aidmap/),
 * else { baseUrl: null, prefix: '/' }.
 */
export function siteBase() {
  let baseUrl = process.env.AIDMAP_BASE_URL || null;
  if (!baseUrl) {
    const html = fs.readFileSync(path.join(siteDir(), 'index.html'), 'utf8');
    const m = html.match(/<link\s[^>]*rel=["']?canonical["']?[^>]*>/i);
    const href = m && m[0].match(/href=["']([^"']+)["']/i);
    if (href && /^https?:\/\//.test(href[1])) baseUrl = href[1];
  }
  if (!baseUrl) return { baseUrl: null, prefix: '/' };
  const u = new URL(baseUrl);
  return { baseUrl: u.href, prefix: u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/` };
}

/**
 * Start the static server on the root build, under its base URL's path. If the
 * base URL is on 127.0.0.1 with a port, that port is used when free.
 */
export async function serveSite(opts = {}) {
  const { baseUrl, prefix } = siteBase();
  const u = baseUrl ? new URL(baseUrl) : null;
  const port = u && u.hostname === '127.0.0.1' && u.port ? Number(u.port) : 0;
  try {
    return await startServer({ root: siteDir(), prefix, port, ...opts });
  } catch (err) {
    if (err.code !== 'EADDRINUSE' || !port) throw err;
    return startServer({ root: siteDir(), prefix, ...opts });
  }
}

/** Run fn over items with at most n at once; results in input order. */
export async function pool(items, n, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return results;
}

/** A failure message listing problems, capped so the log stays readable. */
export function report(title, problems, cap = 60) {
  const lines = problems.slice(0, cap).map((p) => `  - ${p}`);
  if (problems.length > cap) lines.push(`  ... and ${problems.length - cap} more`);
  return `${title}: ${problems.length} problem(s)\n${lines.join('\n')}`;
}
