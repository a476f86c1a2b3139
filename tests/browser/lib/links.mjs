// A static link crawl of a built site (no browser): every internal href/src/
// action/srcset in every HTML file, url()/@import in every CSS file, and <loc> in
// sitemap XML must resolve to a file in the output.
//
//   const problems = await crawlLinks(dir, { prefix: '/sub/path/', baseUrl: 'http://127.0.0.1:8000/sub/path/' });
//
// Internal = relative, root-relative, or starting with baseUrl. A folder URL
// resolves to its index.html; ?query and #fragment are stripped, and a #fragment
// must name an id (or <a name>) in the target page. External http(s) links,
// mailto:, tel:, sms:, geo: are not followed, but javascript: URLs are errors, and
// so is a subresource (script, stylesheet, image, icon, CSS url()) loaded from off
// the site: the site must work with no network but its own host.

import fsp from 'node:fs/promises';
import path from 'node:path';

const FAKE_ORIGIN = 'http://site.invalid';
const SUBRESOURCE_LINK_RELS = /\b(stylesheet|icon|apple-touch-icon|preload|modulepreload|manifest|prefetch|mask-icon)\b/i;

function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|quot|apos|lt|gt|nbsp);/gi, (m, e) => {
    const l = e.toLowerCase();
    if (l === 'amp') return '&';
    if (l === 'quot') return '"';
    if (l === 'apos') return "'";
    if (l === 'lt') return '<';
    if (l === 'gt') return '>';
    if (l === 'nbsp') return '\u00a0';
    if (l.startsWith('#x')) return String.fromCodePoint(parseInt(l.slice(2), 16));
    return String.fromCodePoint(parseInt(l.slice(1), 10));
  });
}

const TAG_RE = /<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTR_RE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function parseAttrs(s) {
  const out = {};
  for (const m of s.matchAll(ATTR_RE)) {
    const name = m[1].toLowerCase();
    if (!(name in out)) out[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

function cssUrls(css) {
  css = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const out = [];
  for (const m of css.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)/gi)) out.push(m[1] ?? m[2] ?? m[3]);
  for (const m of css.matchAll(/@import\s+(?:"([^"]*)"|'([^']*)')/gi)) out.push(m[1] ?? m[2]);
  return out;
}

/** { refs: [{ attr, value, sub }], ids: Set, base } from one HTML document. */
export function extractFromHtml(html) {
  html = html.replace(/<!--[\s\S]*?-->/g, '');
  const styles = [];
  html = html.replace(/(<style\b[^>]*>)([\s\S]*?)(<\/style>)/gi, (m, a, body, c) => {
    styles.push(body);
    return a + c;
  });
  html = html.replace(/(<script\b[^>]*>)[\s\S]*?(<\/script>)/gi, '$1$2');
  const refs = [];
  const ids = new Set();
  let base = null;
  for (const m of html.matchAll(TAG_RE)) {
    const tag = m[1].toLowerCase();
    const a = parseAttrs(m[2]);
    if (a.id) ids.add(a.id);
    if (tag === 'a' && a.name) ids.add(a.name);
    if (tag === 'base' && a.href != null) base = a.href;
    const add = (attr, value, sub) => refs.push({ tag, attr, value: value.trim(), sub });
    if (a.href != null && tag !== 'base') {
      add('href', a.href, tag === 'link' && SUBRESOURCE_LINK_RELS.test(a.rel || ''));
    }
    if (a['xlink:href'] != null) add('xlink:href', a['xlink:href'], tag === 'use' || tag === 'image');
    if (a.src != null) add('src', a.src, true);
    if (a.poster != null) add('poster', a.poster, true);
    if (a.data != null && tag === 'object') add('data', a.data, true);
    if (a.action != null) add('action', a.action, false);
    if (a.formaction != null) add('formaction', a.formaction, false);
    for (const attr of ['srcset', 'imagesrcset']) {
      if (a[attr] == null) continue;
      for (const part of a[attr].split(/,\s+/)) {
        const u = part.trim().split(/\s+/)[0];
        if (u) add(attr, u, true);
      }
    }
    if (tag === 'meta' && /refresh/i.test(a['http-equiv'] || '') && a.content) {
      const u = a.content.match(/url\s*=\s*['"]?([^'"]+)/i);
      if (u) add('meta refresh', u[1], false);
    }
    if (a.style) for (const u of cssUrls(a.style)) add('style url()', u, true);
  }
  for (const s of styles) for (const u of cssUrls(s)) refs.push({ tag: 'style', attr: 'url()', value: u.trim(), sub: true });
  return { refs, ids, base };
}

/** URL path a file is served at: 'groups/x/index.html' -> 'groups/x/'. */
export function urlPathOf(rel) {
  return rel.replace(/(^|\/)index\.html$/, '$1');
}

async function walkAll(dir) {
  const files = new Set();
  const dirs = new Set(['']);
  async function walk(d, rel) {
    for (const e of await fsp.readdir(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        dirs.add(r);
        await walk(path.join(d, e.name), r);
      } else if (e.isFile()) files.add(r);
    }
  }
  await walk(dir, '');
  return { files, dirs };
}

export async function crawlLinks(dir, { prefix = '/', baseUrl = null } = {}) {
  if (!prefix.endsWith('/')) prefix += '/';
  const { files, dirs } = await walkAll(dir);
  const base = baseUrl ? new URL(baseUrl) : null;
  const problems = [];
  const idCache = new Map();
  let checked = 0;

  async function idsOf(rel) {
    if (!idCache.has(rel)) {
      const text = await fsp.readFile(path.join(dir, rel), 'utf8');
      idCache.set(rel, extractFromHtml(text).ids);
    }
    return idCache.get(rel);
  }

  // Map an absolute URL to a file in the output, or give a reason it does not.
  function toFile(u) {
    if (u.origin !== FAKE_ORIGIN) return { external: true };
    if (!u.pathname.startsWith(prefix)) return { error: `outside the site's base path ${prefix}` };
    let p;
    try {
      p = decodeURIComponent(u.pathname.slice(prefix.length));
    } catch {
      return { error: 'bad percent-encoding' };
    }
    if (p === '' || p.endsWith('/')) {
      const f = `${p}index.html`;
      return files.has(f) ? { file: f } : { error: dirs.has(p.replace(/\/$/, '')) ? 'folder has no index.html' : 'no such folder' };
    }
    if (files.has(p)) return { file: p };
    if (dirs.has(p)) return files.has(`${p}/index.html`) ? { file: `${p}/index.html` } : { error: 'folder has no index.html' };
    return { error: 'no such file' };
  }

  async function check(fromRel, fromUrl, ref, { docIds }) {
    const v = ref.value;
    const where = `${fromRel}: ${ref.tag} ${ref.attr}="${v.length > 120 ? `${v.slice(0, 120)}…` : v}"`;
    if (v === '') return;
    const scheme = v.match(/^([a-zA-Z][a-zA-Z0-9+.-]*):/)?.[1]?.toLowerCase();
    if (scheme === 'javascript') return problems.push(`${where} -> javascript: URL`);
    let target;
    if (scheme && base && v.startsWith(base.href)) {
      target = new URL(v.slice(base.href.length), `${FAKE_ORIGIN}${prefix}`);
    } else if (scheme || v.startsWith('//')) {
      if (['http', 'https'].includes(scheme) || v.startsWith('//')) {
        if (ref.sub) problems.push(`${where} -> subresource loaded from off the site`);
      }
      return; // external, mailto:, tel:, sms:, geo:, data: ...
    } else {
      target = new URL(v, fromUrl);
    }
    checked++;
    const r = toFile(target);
    if (r.external) return;
    if (r.error) return problems.push(`${where} -> ${target.pathname}: ${r.error}`);
    const frag = target.hash ? decodeURIComponent(target.hash.slice(1)) : '';
    if (frag && frag !== 'top' && r.file.endsWith('.html')) {
      const ids = r.file === fromRel && docIds ? docIds : await idsOf(r.file);
      if (!ids.has(frag)) problems.push(`${where} -> no element with id "${frag}" in ${r.file}`);
    }
  }

  const sorted = [...files].sort();
  for (const rel of sorted) {
    const ext = path.extname(rel).toLowerCase();
    if (ext === '.html' || ext === '.htm') {
      const text = await fsp.readFile(path.join(dir, rel), 'utf8');
      const { refs, ids, base: baseHref } = extractFromHtml(text);
      idCache.set(rel, ids);
      let fromUrl = new URL(`${prefix}${urlPathOf(rel)}`, FAKE_ORIGIN);
      if (baseHref) fromUrl = new URL(baseHref, fromUrl);
      else if (rel === '404.html') {
        // 404.html is served at whatever URL was missed, at any depth: a
        // document-relative link in it breaks on deep URLs.
        for (const ref of refs) {
          if (ref.value && !/^([a-zA-Z][a-zA-Z0-9+.-]*:|\/|#)/.test(ref.value)) {
            problems.push(`${rel}: ${ref.tag} ${ref.attr}="${ref.value}" -> relative link in 404.html (served at any depth; use a root-relative or absolute URL, or <base>)`);
          }
        }
      }
      for (const ref of refs) await check(rel, fromUrl, ref, { docIds: ids });
    } else if (ext === '.css') {
      const text = await fsp.readFile(path.join(dir, rel), 'utf8');
      const fromUrl = new URL(`${prefix}${rel}`, FAKE_ORIGIN);
      for (const u of cssUrls(text)) await check(rel, fromUrl, { tag: 'css', attr: 'url()', value: u.trim(), sub: true }, {});
    } else if (ext === '.xml' && /sitemap/i.test(rel)) {
      const text = await fsp.readFile(path.join(dir, rel), 'utf8');
      const fromUrl = new URL(`${prefix}${rel}`, FAKE_ORIGIN);
      for (const m of text.matchAll(/<loc>\s*([^<]+?)\s*<\/loc>/g)) {
        const v = decodeEntities(m[1]);
        if (base && v.startsWith(base.href)) await check(rel, fromUrl, { tag: 'loc', attr: '', value: v, sub: false }, {});
        else if (!base) problems.push(`${rel}: <loc>${v}</loc> -> cannot check without the base URL (set AIDMAP_BASE_URL)`);
      }
    }
  }
  return { problems, checked, files: files.size };
}
