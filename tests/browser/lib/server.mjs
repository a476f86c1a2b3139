// A tiny static file server for the browser tests. Loopback only.
//
//   const srv = await startServer({ root: '/path/to/site', prefix: '/sub/path/' });
//   srv.url        -> 'http://127.0.0.1:PORT/sub/path/'
//   srv.log        -> [{ method, path, status, bytes, type }] one entry per response
//   srv.take()     -> returns the log so far and clears it
//   await srv.close()
//
// - serves `root` under `prefix` (default '/'); anything outside the prefix is a 404
// - a folder serves its index.html; a folder without a trailing slash redirects (301)
//   to the slashed URL, as Netlify, Cloudflare Pages and GitHub Pages do
// - a miss serves `<root>/404.html` (if any) with status 404
// - the headers of `<root>/_headers` (Netlify / Cloudflare Pages format) are sent,
//   so the browser enforces the site's own Content-Security-Policy; `_headers`
//   itself is not served (the hosts don't serve it either)
// - no compression: `bytes` is the body size as stored; tests gzip it themselves
//   (`gzip: true` gzips text bodies for clients that accept it, as the hosts do;
//   lighthouse.test.mjs uses it so Lighthouse sees what a phone would be sent)

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
  '.webmanifest': 'application/manifest+json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8',
  '.vcf': 'text/vcard; charset=utf-8',
};

export function contentTypeFor(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/**
 * Parse the simple `_headers` format:
 *
 *   # comment
 *   /*
 *     Content-Security-Policy: default-src 'self'
 *     X-Content-Type-Options: nosniff
 *   /groups/:slug/*
 *     ! X-Robots-Tag          (Cloudflare: remove a header set by an earlier rule)
 *
 * Returns [{ pattern, regex, headers: [[name, value]], remove: [name] }].
 */
export function parseHeadersFile(text) {
  const rules = [];
  let cur = null;
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.trim().startsWith('#')) continue;
    if (!/^\s/.test(raw)) {
      const pattern = raw.trim();
      cur = { pattern, regex: patternToRegex(pattern), headers: [], remove: [] };
      rules.push(cur);
      continue;
    }
    if (!cur) throw new Error(`_headers: header line before any path: ${raw}`);
    const line = raw.trim();
    if (line.startsWith('!')) {
      cur.remove.push(line.slice(1).trim().toLowerCase());
      continue;
    }
    const i = line.indexOf(':');
    if (i <= 0) throw new Error(`_headers: not a "Name: value" line: ${raw}`);
    cur.headers.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
  }
  return rules;
}

function patternToRegex(pattern) {
  // An absolute URL pattern (Cloudflare) matches on its path only here.
  let p = pattern.replace(/^https?:\/\/[^/]+/, '');
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') re += '.*';
    else if (c === ':' && /[A-Za-z]/.test(p[i + 1] || '')) {
      while (/\w/.test(p[i + 1] || '')) i++;
      re += '[^/]+';
    } else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Headers for a site path ('/groups/x/'), merged over all matching rules. */
export function headersFor(rules, sitePath) {
  const out = new Map(); // lower name -> [name, value]
  for (const r of rules) {
    if (!r.regex.test(sitePath)) continue;
    for (const name of r.remove) out.delete(name);
    for (const [name, value] of r.headers) {
      const k = name.toLowerCase();
      // Several rules setting one header: the hosts join the values with ", ".
      // For CSP that means every policy is enforced, which is the strict reading.
      if (out.has(k)) out.set(k, [name, `${out.get(k)[1]}, ${value}`]);
      else out.set(k, [name, value]);
    }
  }
  return [...out.values()];
}

export async function startServer({ root, prefix = '/', port = 0, useHeadersFile = true, gzip = false } = {}) {
  root = path.resolve(root);
  if (!prefix.startsWith('/')) prefix = `/${prefix}`;
  if (!prefix.endsWith('/')) prefix += '/';

  let rules = [];
  const headersPath = path.join(root, '_headers');
  const hasHeadersFile = fs.existsSync(headersPath);
  if (useHeadersFile && hasHeadersFile) {
    rules = parseHeadersFile(await fsp.readFile(headersPath, 'utf8'));
  }

  const log = [];

  const server = http.createServer(async (req, res) => {
    const entry = { method: req.method, path: req.url, status: 0, bytes: 0, type: '' };
    log.push(entry);
    const send = (status, body, headers = {}) => {
      if (gzip && body && /gzip/.test(req.headers['accept-encoding'] || '') && /text|json|xml|svg|javascript/.test(headers['Content-Type'] || '')) {
        body = zlib.gzipSync(body);
        headers = { ...headers, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' };
      }
      entry.status = status;
      entry.type = headers['Content-Type'] || '';
      entry.bytes = body ? body.length : 0;
      res.writeHead(status, { 'Content-Length': entry.bytes, ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(405, Buffer.from('method not allowed\n'), { 'Content-Type': 'text/plain', Allow: 'GET, HEAD' });
      }
      const url = new URL(req.url, 'http://127.0.0.1');
      let pathname;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        return send(400, Buffer.from('bad request\n'), { 'Content-Type': 'text/plain' });
      }
      const sitePath = pathname.startsWith(prefix) ? `/${pathname.slice(prefix.length)}` : null;
      const siteHeaders = (sp) => Object.fromEntries(headersFor(rules, sp));

      const notFound = async () => {
        const p404 = path.join(root, '404.html');
        const h = sitePath ? siteHeaders(sitePath) : siteHeaders('/404.html');
        if (fs.existsSync(p404)) {
          return send(404, await fsp.readFile(p404), { ...h, 'Content-Type': CONTENT_TYPES['.html'] });
        }
        return send(404, Buffer.from('not found\n'), { ...h, 'Content-Type': 'text/plain' });
      };

      if (sitePath === null || sitePath.includes('\0')) return notFound();
      let file = path.join(root, path.normalize(sitePath));
      if (file !== root && !file.startsWith(root + path.sep)) return notFound();
      if (path.basename(file) === '_headers' || path.basename(file) === '_redirects') return notFound();

      let st = await fsp.stat(file).catch(() => null);
      if (st && st.isDirectory()) {
        if (!pathname.endsWith('/')) {
          const loc = `${url.pathname}/${url.search}`;
          return send(301, Buffer.from(`moved to ${loc}\n`), { Location: loc, 'Content-Type': 'text/plain' });
        }
        file = path.join(file, 'index.html');
        st = await fsp.stat(file).catch(() => null);
      }
      if (!st || !st.isFile()) return notFound();
      const body = await fsp.readFile(file);
      return send(200, body, { ...siteHeaders(sitePath), 'Content-Type': contentTypeFor(file) });
    } catch (err) {
      return send(500, Buffer.from(`${err.stack}\n`), { 'Content-Type': 'text/plain' });
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actualPort = server.address().port;

  return {
    root,
    prefix,
    port: actualPort,
    origin: `http://127.0.0.1:${actualPort}`,
    url: `http://127.0.0.1:${actualPort}${prefix}`,
    hasHeadersFile,
    rules,
    log,
    /** The log so far, then clear it. */
    take() {
      return log.splice(0, log.length);
    },
    /** URL of a page given its path relative to the site root ('groups/x/index.html'). */
    pageUrl(rel) {
      const p = rel.split(path.sep).join('/').replace(/(^|\/)index\.html$/, '$1');
      return `http://127.0.0.1:${actualPort}${prefix}${p.split('/').map(encodeURIComponent).join('/')}`;
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
