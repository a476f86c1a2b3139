// Gate: the Nu HTML Checker (vnu) finds no errors in any HTML file of the site.
// One java run checks the whole tree; the files are passed in batches so the
// command line stays short even with thousands of postcode pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { siteDir, listHtml, report } from './lib/site.mjs';

const require = createRequire(import.meta.url);
const VNU_JAR = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
const BATCH = 1500;

// No --filterpattern: nothing is a known false positive yet. If one turns up,
// add it here with the reason, e.g. ['--filterpattern', '.*regex of the message.*'].
const FILTERS = [];

function vnu(files, cwd) {
  return new Promise((resolve, reject) => {
    const args = ['-Xss8m', '-jar', VNU_JAR, '--errors-only', '--skip-non-html', '--format', 'json', ...FILTERS, ...files];
    const p = spawn('java', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      // vnu writes its JSON report to stderr and exits 1 when it found errors.
      try {
        resolve({ code, messages: JSON.parse(err || out || '{"messages":[]}').messages });
      } catch {
        reject(new Error(`vnu exited ${code} and printed no JSON:\n${err.slice(0, 2000)}\n${out.slice(0, 2000)}`));
      }
    });
  });
}

test('vnu: 0 HTML errors in every page', { timeout: 600_000 }, async () => {
  const dir = siteDir();
  const files = await listHtml(dir);
  assert.ok(files.length > 0, 'no HTML files found');
  const problems = [];
  for (let i = 0; i < files.length; i += BATCH) {
    const { messages } = await vnu(files.slice(i, i + BATCH), dir);
    for (const m of messages) {
      if (m.type !== 'error' && m.type !== 'non-document-error') continue;
      const file = m.url ? path.relative(dir, new URL(m.url).pathname) : '?';
      const where = m.lastLine ? `:${m.lastLine}:${m.firstColumn ?? m.lastColumn}` : '';
      const extract = m.extract ? ` «${m.extract.replace(/\s+/g, ' ').trim().slice(0, 100)}»` : '';
      problems.push(`${file}${where}: ${m.message}${extract}`);
    }
  }
  console.log(`vnu: ${files.length} HTML files checked`);
  assert.equal(problems.length, 0, report('vnu errors', problems, 100));
});
