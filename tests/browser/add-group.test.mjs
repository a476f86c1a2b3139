// "Add your group" (about/add-your-group/) as a volunteer fills it in, in headless Chromium,
// with and without JavaScript (issue #26): the GitHub new-issue address the form opens and
// the e-mail it writes decode to a submission the real `aidmap intake` accepts; with
// JavaScript, wrong answers are shown GOV.UK-style (summary at the top linking to the
// fields, focused; the message by each field; axe finds nothing) before anything is sent;
// answers too long for one link are shown to copy. Also: add-group.js's checks and the Rust
// checks agree on every row of tests/fixtures/field-checks/cases.json (the Rust half is in
// tests/intake.rs). In Welsh (tests/fixtures/languages-site, cy/about/add-your-group/): the
// labels and the script's messages are Welsh, and what is sent is the same submission.
//
// Needs AIDMAP_BIN: the test builds tests/fixtures/intake/site (it has `repository:`) itself.
//   AIDMAP_BIN=target/release/aidmap node --test tests/browser/add-group.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { launch, newContext } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { REPO_ROOT } from './lib/site.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BIN = process.env.AIDMAP_BIN && path.resolve(REPO_ROOT, process.env.AIDMAP_BIN);
const FIXTURE = path.join(REPO_ROOT, 'tests/fixtures/intake/site');
const skip = BIN ? false : 'needs AIDMAP_BIN to build the fixture site and run aidmap intake';
const PAGE = 'about/add-your-group/';

const LANGUAGES_FIXTURE = path.join(REPO_ROOT, 'tests/fixtures/languages-site');
let tmp, out, server, browser, cyServer;
before(async () => {
  if (!BIN) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aidmap-add-group-'));
  out = path.join(tmp, 'out');
  execFileSync(BIN, ['build', '--root', FIXTURE, '--out', out], { stdio: 'pipe' });
  server = await startServer({ root: out });
  const cyOut = path.join(tmp, 'out-languages');
  execFileSync(BIN, ['build', '--root', LANGUAGES_FIXTURE, '--out', cyOut], { stdio: 'pipe' });
  cyServer = await startServer({ root: cyOut });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await cyServer?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** What a volunteer types. */
const GROUP = {
  name: 'Eaton Street Helpers',
  summary: 'Neighbours in Eaton who shop and collect prescriptions.',
  areas: 'NR4 6\nNR4 7, NR2',
  help: 'shopping\nprescriptions',
  phone: '01632 960777',
  email: 'eaton.helpers@example.org',
  website: 'https://eaton-helpers.example.org/',
  hours: 'Monday to Friday, 10am to 4pm',
  languages: 'en, cy',
  description: 'We started in March 2020.\n\nAsk for Sam or Priya.',
};

/** The submission GitHub renders from decoded field values, in the page's own field order
 * (its empty "No GitHub account?" text is src/intake/body.rs render), consent ticked as
 * the volunteer does on GitHub. */
function issueBody(blank, values) {
  return blank.replace(/### (.+)\n\n_No response_\n/g, (all, label) => {
    const v = values[label];
    return v ? `### ${label}\n\n${v}\n` : all;
  }).replace('- [ ] ', '- [X] ');
}

/** Runs the real `aidmap intake` on a fresh copy of the fixture site: [exit status, the
 * written group file or the comment]. */
function intake(body) {
  const root = fs.mkdtempSync(path.join(tmp, 'site-'));
  fs.cpSync(FIXTURE, root, { recursive: true });
  const file = path.join(root, 'submission.md');
  fs.writeFileSync(file, body);
  try {
    const stdout = execFileSync(BIN, ['intake', '--root', root, file], { encoding: 'utf8', stdio: 'pipe' });
    const written = fs.readdirSync(path.join(root, 'content/groups')).filter((f) => f !== 'thorpe-neighbours.yaml');
    assert.equal(written.length, 1, stdout);
    return [0, fs.readFileSync(path.join(root, 'content/groups', written[0]), 'utf8')];
  } catch (e) {
    if (e.status === undefined) throw e;
    return [e.status, `${e.stdout}${e.stderr}`];
  }
}

/** What the page says of its form before it is sent: its empty submission text and each
 * field's label by id. */
async function formOf(page) {
  const labels = await page.$$eval('[data-label]', (fs) => Object.fromEntries(fs.map((f) => [f.name, f.dataset.label])));
  labels.request = 'Request';
  return { blank: await page.textContent('pre.copy code'), labels };
}

/** Field values by label from a new-issue address (ids are the query names). */
function labelled({ labels }, params) {
  const values = {};
  // GitHub shows a text area's line breaks as \n.
  for (const [id, v] of params) if (labels[id]) values[labels[id]] = v.replace(/\r\n/g, '\n');
  return values;
}

async function fill(page, group) {
  for (const [id, v] of Object.entries(group)) await page.fill(`#f-${id}`, v);
}

/** Presses "Continue on GitHub" and returns the address the browser was sent to. */
async function submit(page) {
  const [req] = await Promise.all([
    page.waitForRequest((r) => r.url().startsWith('https://github.com/'), { timeout: 10_000 }),
    page.click('form.add-group button[type=submit]'),
  ]);
  return new URL(req.url());
}

function accepted(body, group) {
  const [status, text] = intake(body);
  assert.equal(status, 0, `aidmap intake refused the form's submission:\n${text}\n--- body\n${body}`);
  assert.match(text, new RegExp(`name: ${group.name}`));
  assert.match(text, /NR4 6/);
  assert.match(text, /01632 960777/);
  return text;
}

test('without JavaScript: the form opens GitHub with every answer, and intake accepts it', { timeout: 60_000, skip }, async () => {
  const ctx = await newContext(browser, { javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(server.url + PAGE, { waitUntil: 'load' });
  const f = await formOf(page);
  await fill(page, GROUP);
  const url = await submit(page);
  assert.equal(url.origin + url.pathname, 'https://github.com/example-org/mutual-aid/issues/new');
  assert.equal(url.searchParams.get('template'), 'group.yml');
  assert.equal(url.searchParams.get('request'), 'new');
  const yaml = accepted(issueBody(f.blank, labelled(f, url.searchParams)), GROUP);
  assert.match(yaml, /Ask for Sam or Priya/);
  await ctx.close();
});

test('with JavaScript: wrong answers are shown GOV.UK-style before sending, then the right ones go through', { timeout: 90_000, skip }, async () => {
  // bypassCSP only so axe can be injected, as a11y.test.mjs does.
  const ctx = await newContext(browser, { bypassCSP: true });
  const page = await ctx.newPage();
  const sent = [];
  page.on('request', (r) => r.url().startsWith('https://github.com/') && sent.push(r.url()));
  await page.goto(server.url + PAGE, { waitUntil: 'load' });
  const title = await page.title();

  // Nothing filled in: the three needed answers.
  await page.click('form.add-group button[type=submit]');
  await page.waitForSelector('.error-summary');
  let summary = await page.$$eval('.error-summary li a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
  assert.deepEqual(summary.map((s) => s[0]), ['#f-name', '#f-summary', '#f-areas']);
  assert.equal(await page.evaluate(() => document.activeElement.className), 'error-summary', 'focus moves to the summary');
  assert.equal(await page.title(), `Error: ${title}`);

  // Answers aidmap check would refuse.
  await fill(page, { ...GROUP, phone: '0909 000 0000', email: 'help?cc=x@example.org', areas: 'NR2, ZZ9\nNR2 3AB\nNR4 6', website: 'javascript:alert(1)' });
  await page.click('form.add-group button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('.error-summary li').length === 4);
  summary = await page.$$eval('.error-summary li a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
  assert.deepEqual(summary.map((s) => s[0]), ['#f-areas', '#f-phone', '#f-email', '#f-website']);
  assert.match(summary[0][1], /ZZ9/);
  assert.match(summary[0][1], /NR2 3AB.*full postcode/);
  assert.match(summary[1][1], /premium-rate/);
  // The message by each field, named by it for a screen reader.
  for (const id of ['areas', 'phone', 'email', 'website']) {
    const f = await page.$eval(`#f-${id}`, (el) => ({
      invalid: el.getAttribute('aria-invalid'),
      described: (el.getAttribute('aria-describedby') || '').split(' ').map((x) => document.getElementById(x)?.textContent).join(' | '),
    }));
    assert.equal(f.invalid, 'true', id);
    assert.match(f.described, /Error: /, id);
  }
  // A summary link takes the keyboard to its field.
  await page.click('.error-summary li:nth-child(2) a');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-phone');
  assert.equal(sent.length, 0, 'nothing was sent while answers were wrong');
  // Accessible as shown: axe on the page with its errors.
  await page.addScriptTag({ content: AXE_SOURCE });
  const axe = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] }));
  assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);

  // Put right: the summary goes and the form opens GitHub.
  const f = await formOf(page);
  await fill(page, GROUP);
  const url = await submit(page);
  accepted(issueBody(f.blank, labelled(f, url.searchParams)), GROUP);
  await ctx.close();
});

test('with JavaScript: the e-mail route carries the answers, and intake accepts the e-mail', { timeout: 60_000, skip }, async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto(server.url + PAGE, { waitUntil: 'load' });
  // Nothing filled in: the link is the empty text to fill in by hand, as without JavaScript.
  const empty = await page.$eval('a.mail-answers', (a) => a.href);
  assert.match(new URL(empty).searchParams.get('body'), /### Group name\n\n_No response_/);
  await page.click('a.mail-answers');
  await page.waitForTimeout(300);
  assert.equal(await page.$('.error-summary'), null, 'an empty form does not stop the e-mail written by hand');
  const short = { ...GROUP, description: 'We started in March 2020.' };
  await fill(page, short);
  // Not ticked yet: the box is named in the summary.
  await page.click('a.mail-answers');
  await page.waitForSelector('.error-summary');
  assert.deepEqual(await page.$$eval('.error-summary li a', (as) => as.map((a) => a.getAttribute('href'))), ['#f-consent']);
  await page.check('#f-consent');
  await page.click('a.mail-answers');
  await page.waitForFunction(() => document.querySelector('a.mail-answers').href.includes('body='));
  const href = await page.$eval('a.mail-answers', (a) => a.href);
  assert.ok(href.length <= 2000, `${href.length} bytes`);
  const mail = new URL(href);
  assert.equal(mail.protocol + mail.pathname, 'mailto:directory@example.org');
  const body = new URLSearchParams(mail.search).get('body');
  accepted(body, short);
  await ctx.close();
});

test('with JavaScript: answers too long for one link are left out of it and shown to copy', { timeout: 60_000, skip }, async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto(server.url + PAGE, { waitUntil: 'load' });
  const story = Array.from({ length: 130 }, (_, i) => `Week ${i + 1}: we shopped for our neighbours and phoned those on their own.`).join('\n');
  const long = { ...GROUP, description: story };
  const f = await formOf(page);
  await fill(page, long);
  await page.click('form.add-group button[type=submit]');
  await page.waitForSelector('.copy-blocks');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'copy-blocks');
  const link = await page.$eval('.copy-blocks a.copy-link', (a) => a.href);
  assert.ok(Buffer.byteLength(link) <= 8000, `${Buffer.byteLength(link)} bytes`);
  const url = new URL(link);
  assert.equal(url.searchParams.get('description'), null, 'the longest answer is left out');
  assert.equal(url.searchParams.get('name'), GROUP.name);
  const copied = await page.$$eval('.copy-blocks pre code', (cs) => cs.map((c) => c.textContent));
  assert.deepEqual(copied, [story]);
  // The volunteer opens the link and pastes the block into "About the group".
  const values = labelled(f, url.searchParams);
  values['About the group'] = copied[0];
  const yaml = accepted(issueBody(f.blank, values), long);
  assert.match(yaml, /Week 90/);
  await ctx.close();
});

test('add-group.js and aidmap check judge every answer of the shared table alike', { skip }, async () => {
  const window = {};
  new Function('window', 'document', fs.readFileSync(path.join(out, 'add-group.js'), 'utf8'))(window, { querySelector: () => null });
  const checks = window.aidmapChecks;
  const get = async (p) => {
    const f = path.join(out, 'search', `${p}.json`);
    return fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null;
  };
  const { cases } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tests/fixtures/field-checks/cases.json'), 'utf8'));
  const wrong = [];
  for (const [field, value, ok] of cases) {
    const m = field === 'phone' ? checks.phone(value) : field === 'email' ? checks.email(value)
      : field === 'website' ? checks.web(value) : await checks.area(value, get);
    if ((m === null) !== ok) wrong.push(`${field} ${JSON.stringify(value)}: ${m}, the table says ok=${ok}`);
  }
  assert.ok(cases.length > 50);
  assert.deepEqual(wrong, []);
});

test('in Welsh: the form speaks Welsh, its messages too, and sends the same submission', { timeout: 90_000, skip }, async () => {
  const ctx = await newContext(browser, { bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(cyServer.url + 'cy/' + PAGE, { waitUntil: 'load' });
  assert.equal(await page.getAttribute('html', 'lang'), 'cy');
  assert.equal(await page.textContent('label[for=f-name]'), 'Enw\'r grŵp (angenrheidiol)');
  assert.equal(await page.textContent('form.add-group button[type=submit]'), 'Ymlaen i GitHub');
  const title = await page.title();

  // Nothing filled in: the needed answers, asked for in Welsh.
  await page.click('form.add-group button[type=submit]');
  await page.waitForSelector('.error-summary');
  assert.equal(await page.textContent('.error-summary-title'), 'Mae problem');
  let summary = await page.$$eval('.error-summary li a', (as) => as.map((a) => a.textContent));
  assert.deepEqual(summary, ['Rhowch enw\'r grŵp', 'Rhowch crynodeb', 'Rhowch ardaloedd cod post']);
  assert.equal(await page.title(), `Gwall: ${title}`);

  // Wrong answers: the same checks as in English, said in Welsh.
  await fill(page, { ...GROUP, phone: '0909 000 0000', email: 'help?cc=x@example.org', areas: 'NR2, ZZ9\nNR2 3AB\nNR4 6', website: 'javascript:alert(1)' });
  await page.click('form.add-group button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('.error-summary li').length === 4);
  summary = await page.$$eval('.error-summary li a', (as) => as.map((a) => a.textContent));
  assert.match(summary[0], /nid oes ardal cod post ZZ/);
  assert.match(summary[0], /Mae “NR2 3AB” yn god post llawn: rhowch ddosbarth neu sector, fel NR2 neu NR2 3/);
  assert.match(summary[1], /rhif cyfradd premiwm/);
  assert.match(summary[2], /Nid yw “help\?cc=x@example.org” yn gyfeiriad e-bost/);
  assert.match(summary[3], /Mae “javascript:alert\(1\)” yn defnyddio javascript:/);
  for (const s of summary) assert.doesNotMatch(s, /\b(is not|there is no|full postcode)\b/, s);
  assert.match(await page.textContent('#e-phone'), /^Gwall: /);
  await page.addScriptTag({ content: AXE_SOURCE });
  const axe = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] }));
  assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);

  // Put right: the same submission as the English form's, and intake writes the same YAML.
  const f = await formOf(page);
  assert.equal(f.labels.name, 'Group name', 'the headings sent are the intake\'s English');
  await fill(page, GROUP);
  const url = await submit(page);
  assert.equal(url.origin + url.pathname, 'https://github.com/example/dir/issues/new');
  const yaml = accepted(issueBody(f.blank, labelled(f, url.searchParams)), GROUP);
  assert.match(yaml, /Ask for Sam or Priya/);
  assert.match(yaml, /^name: Eaton Street Helpers$/m);
  assert.match(yaml, /^summary: /m, 'the keys of the group file are English');

  // The e-mail route: its tick box and its message in Welsh.
  await page.goto(cyServer.url + 'cy/' + PAGE, { waitUntil: 'load' });
  await fill(page, { ...GROUP, description: 'We started in March 2020.' });
  await page.click('a.mail-answers');
  await page.waitForSelector('.error-summary');
  assert.deepEqual(await page.$$eval('.error-summary li a', (as) => as.map((a) => a.textContent)),
    ['Ticiwch y blwch i ddweud bod y grŵp wedi cytuno i gyhoeddi\'r manylion hyn']);
  assert.match(await page.textContent('label[for=f-consent]'), /^Cytunodd y grŵp/);
  await ctx.close();
});
