// Self-test of the gates: the committed fixture site (selftest/site) must pass
// every gate, and each deliberately broken copy of it must fail the gate meant
// to catch it, with the expected message. Ends with "N passed, N failed".
//
//   node tests/browser/selftest/run.mjs            # all cases
//   node tests/browser/selftest/run.mjs reflow     # cases whose name contains "reflow"
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import crypto from 'node:crypto';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BROWSER_DIR = path.resolve(HERE, '..');
const FIXTURE = path.join(HERE, 'site');
const SUB_PREFIX = '/sub/path/';

function edit(dir, rel, from, to) {
  const f = path.join(dir, rel);
  const s = fs.readFileSync(f, 'utf8');
  if (!s.includes(from)) throw new Error(`selftest: ${rel} has no ${JSON.stringify(from)}`);
  fs.writeFileSync(f, s.replace(from, to));
}
const append = (dir, rel, text) => fs.appendFileSync(path.join(dir, rel), text);

// The sub-path build of the fixture: all its links are relative except 404.html's.
function makeSubpath(dir) {
  const f = path.join(dir, '404.html');
  fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replaceAll('"/', `"${SUB_PREFIX}`));
}

const CASES = [
  { name: 'good fixture passes every gate', files: null, expectFail: false },
  {
    name: 'a11y: low-contrast links fail axe',
    files: ['a11y.test.mjs'],
    mutate: (d) => append(d, 'assets/style.css', 'a { color: #bbb; }\n'),
    expect: /color-contrast/,
  },
  {
    name: 'a11y: unlabelled search box fails axe',
    files: ['a11y.test.mjs'],
    mutate: (d) => edit(d, 'index.html', '<label for="q">Postcode or place</label>', ''),
    expect: /label/,
  },
  {
    name: 'html: misnested tags fail vnu',
    files: ['html-validity.test.mjs'],
    mutate: (d) => edit(d, 'about/index.html', '<h1>About this directory</h1>', '<h1>About <span>this directory</h1></span>'),
    expect: /about\/index\.html:\d+/,
  },
  {
    name: 'network: a script fetching another host fails',
    files: ['network.test.mjs'],
    mutate: (d) => append(d, 'assets/search.js', "fetch('https://tracker.example.net/p').catch(() => {});\n"),
    expect: /tracker\.example\.net/,
  },
  {
    name: 'network: a missing stylesheet fails',
    files: ['network.test.mjs'],
    mutate: (d) => fs.rmSync(path.join(d, 'assets/style.css')),
    expect: /assets\/style\.css \((HTTP 404|net::ERR_ABORTED)\)/,
  },
  {
    name: 'no-JS: a <main hidden> (shown by script) fails',
    files: ['nojs.test.mjs'],
    mutate: (d) => edit(d, 'areas/e/index.html', '<main id="main">', '<main id="main" hidden>'),
    expect: /areas\/e\/index\.html: <main> is not visible/,
  },
  {
    name: 'reflow: a fixed-width map scrolls sideways at 320 px',
    files: ['reflow.test.mjs'],
    mutate: (d) => append(d, 'assets/style.css', '.map { width: 500px; max-width: none; }\n'),
    expect: /riverside-mutual-aid\/index\.html: scrollWidth \d+ > clientWidth 320; sticking out: svg\.map/,
  },
  {
    name: 'weight: a 20 KB home page is over budget',
    files: ['weight.test.mjs'],
    mutate: (d) =>
      edit(d, 'index.html', '<h2>Groups</h2>', `<h2>Groups</h2>\n<p>${crypto.randomBytes(20_000).toString('base64')}</p>`),
    expect: /index\.html: \d+ bytes gzip HTML\+CSS >= 14336/,
  },
  {
    name: 'csp: an inline style attribute is blocked',
    files: ['csp.test.mjs'],
    mutate: (d) => edit(d, 'about/index.html', '<h1>About this directory</h1>', '<h1 style="color: red">About this directory</h1>'),
    expect: /about\/index\.html: .*style-src/,
  },
  {
    name: 'csp: an inline script is blocked',
    files: ['csp.test.mjs'],
    mutate: (d) => edit(d, 'postcodes/E2/index.html', '</main>', '<script>document.title = "x";</script></main>'),
    expect: /postcodes\/E2\/index\.html: .*script-src/,
  },
  {
    name: 'csp: no _headers file skips the gate (not a failure)',
    files: ['csp.test.mjs'],
    mutate: (d) => fs.rmSync(path.join(d, '_headers')),
    expectFail: false,
    expect: /# skipped 1/,
  },
  {
    name: 'links: a link to a missing page fails',
    files: ['links.test.mjs'],
    mutate: (d) => edit(d, 'about/index.html', '<p><a href="../#main">', '<p><a href="../groups/no-such-group/">Gone</a> <a href="../#main">'),
    expect: /about\/index\.html: a href="\.\.\/groups\/no-such-group\/" -> \/groups\/no-such-group\/: no such folder/,
  },
  {
    name: 'links: a missing #fragment target fails',
    files: ['links.test.mjs'],
    mutate: (d) => edit(d, 'about/index.html', 'href="../#main"', 'href="../#nowhere"'),
    expect: /no element with id "nowhere" in index\.html/,
  },
  {
    name: 'links: a javascript: URL fails',
    files: ['links.test.mjs'],
    mutate: (d) => edit(d, 'about/index.html', 'href="../#main"', 'href="javascript:history.back()"'),
    expect: /javascript: URL/,
  },
  {
    name: 'links: a missing CSS url() target fails',
    files: ['links.test.mjs'],
    mutate: (d) => fs.rmSync(path.join(d, 'assets/icon.svg')),
    expect: /assets\/style\.css: css url\(\)="icon\.svg" -> \/assets\/icon\.svg: no such file/,
  },
  {
    name: 'links: a root-relative link escapes the sub-path build',
    files: ['links.test.mjs'],
    subMutate: (d) => edit(d, 'about/index.html', 'href="../#main"', 'href="/#main"'),
    expect: /about\/index\.html: a href="\/#main" -> \/: outside the site's base path \/sub\/path\//,
  },
  {
    name: 'sub-path: a script fetching from the root fails',
    files: ['subpath.test.mjs'],
    subMutate: (d) => append(d, 'assets/search.js', "fetch('/search-index.json').catch(() => {});\n"),
    expect: /request outside \/sub\/path\/: \/search-index\.json/,
  },
];

const filter = process.argv[2];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aidmap-selftest-'));
// The generic gates this fixture exercises. Scenario tests that need the real
// site's content (e.g. leaflets.test.mjs) are not run on the fixture.
const allFiles = [
  'a11y.test.mjs', 'csp.test.mjs', 'html-validity.test.mjs', 'links.test.mjs', 'network.test.mjs',
  'nojs.test.mjs', 'reflow.test.mjs', 'subpath.test.mjs', 'weight.test.mjs',
];
let passed = 0;
let failed = 0;
for (const [i, c] of CASES.entries()) {
  if (filter && !c.name.includes(filter)) continue;
  const site = path.join(tmp, `${i}-site`);
  const subsite = path.join(tmp, `${i}-sub`);
  fs.cpSync(FIXTURE, site, { recursive: true });
  fs.cpSync(FIXTURE, subsite, { recursive: true });
  makeSubpath(subsite);
  c.mutate?.(site);
  c.subMutate?.(subsite);
  const t0 = Date.now();
  const r = spawnSync(
    process.execPath,
    ['--test', '--test-concurrency=1', ...(c.files || allFiles)],
    {
      cwd: BROWSER_DIR,
      encoding: 'utf8',
      timeout: 600_000,
      env: {
        ...process.env,
        AIDMAP_SITE: site,
        AIDMAP_SUBPATH_SITE: subsite,
        AIDMAP_SUBPATH_BASE_URL: `http://127.0.0.1:${process.env.AIDMAP_SELFTEST_PORT || 38917}${SUB_PREFIX}`,
      },
    },
  );
  const out = `${r.stdout}\n${r.stderr}`;
  const wantFail = c.expectFail ?? true;
  const exitOk = wantFail ? r.status !== 0 : r.status === 0;
  const textOk = !c.expect || c.expect.test(out);
  const ok = exitOk && textOk;
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${c.name} (exit ${r.status}, ${secs}s)`);
  if (!ok) {
    console.log(`     wanted ${wantFail ? 'a failing' : 'a passing'} run${c.expect ? ` printing ${c.expect}` : ''}; output:`);
    console.log(out.split('\n').map((l) => `     | ${l}`).slice(0, 80).join('\n'));
    failed++;
  } else passed++;
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
