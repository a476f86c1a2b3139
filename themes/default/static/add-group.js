// The "Add your group" form (about/add-your-group/) with JavaScript: each answer is checked
// before it is sent, by the rules `aidmap check` and `aidmap intake` apply
// (src/content/check.rs uk_phone, email, web_url; src/content/areas.rs check_entry over the
// districts and sectors the search index ships in search/areas/). tests/fixtures/field-checks.json
// is one table of values both the Rust checks and these are held to (tests/intake.rs,
// tests/browser/add-group.test.mjs). Problems are shown as GOV.UK does: a summary at the top
// linking to each field, the message by the field, focus on the summary. The e-mail link gets
// the answers as its body (src/intake/body.rs render). A link longer than GitHub follows
// leaves the largest answers out and shows them to copy (src/intake/links.rs prefill).
// Without JavaScript the form sends as it is and `aidmap intake` says what is wrong.
// Every message is in the page's language: the form's data-words holds the `add_*` words
// of its strings file (src/intake/links.rs SCRIPT_KEYS); what is sent (field ids, the
// headings of the e-mail text) is the format `aidmap intake` reads, in any language.
(() => {
const W = {};
// A message with its {places} filled.
const say = (key, v = {}) => (W[key] ?? key).replace(/\{(\w+)\}/g, (all, n) => (n in v ? v[n] : all));
const MAX_URL_BYTES = 8000; // src/intake/form.rs
const MAX_MAILTO_BYTES = 2000; // src/intake/links.rs
const bytes = s => new TextEncoder().encode(s).length;
const alnum = c => /^[\p{Alphabetic}\p{N}]$/u.test(c);

// check.rs uk_phone: null when fine, else what is wrong.
function phone(input) {
  let digits = '';
  const chars = [...input.trim()];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c >= '0' && c <= '9') digits += c;
    else if (c === '+' && i === 0) digits += c;
    else if (!' -.()'.includes(c)) return say('add_e_phone_char', { input, c });
  }
  let national = digits;
  for (const p of ['+44', '0044']) if (digits.startsWith(p)) national = '0' + digits.slice(p.length).replace(/^0+/, '');
  if (national === digits && digits.startsWith('+')) return say('add_e_phone_foreign', { input });
  if (!national.startsWith('0')) return say('add_e_phone_no_zero', { input });
  if (national.startsWith('09')) return say('add_e_phone_premium', { input });
  const prefix = ['01', '02', '03', '07', '08'].some(p => national.startsWith(p));
  const length = national.length === 11 || (national.length === 10 && national.startsWith('01'));
  return prefix && length ? null : say('add_e_phone_length', { input });
}

// check.rs email.
function email(input) {
  const at = input.indexOf('@'), local = input.slice(0, at), labels = input.slice(at + 1).split('.');
  const label = l => l.length > 0 && bytes(l) <= 63 && !l.startsWith('-') && !l.endsWith('-') && [...l].every(c => alnum(c) || c === '-');
  const ok = at > 0 && bytes(local) <= 64 && bytes(input) <= 254 && !local.startsWith('.') && !local.endsWith('.') &&
    !local.includes('..') && [...local].every(c => alnum(c) || ".-_+'".includes(c)) && labels.length >= 2 && labels.every(label);
  return ok ? null : say('add_e_email', { input });
}

// check.rs web_url (WhatsApp and Facebook links are held to their hosts by intake).
function web(input) {
  const t = input.trim();
  if (/[\s\p{Cc}\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/u.test(t)) return say('add_e_web_hidden', { input });
  let u;
  try { u = new URL(t); } catch { return say('add_e_web_not_url', { input }); }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return say('add_e_web_scheme', { input, scheme: u.protocol });
  if (!u.hostname) return say('add_e_web_no_host', { input });
  if (u.username || u.password) return say('add_e_web_userinfo', { input });
  if (t.includes('\\')) return say('add_e_web_backslash', { input });
  return null;
}

// intake's items: one to a line or separated by commas.
const items = v => v.split(/[\n,]/).map(s => s.trim().replace(/^- \[[xX]\]/, '').replace(/^[-* ]+/, '').trim()).filter(Boolean);

const OUT = /^[A-Z]{1,2}\d[A-Z\d]?$/;
// areas.rs check_entry for one entry, the districts read from the area shards (`get`
// gives search/<path>.json, or null when there is no such file).
async function area(entry, get) {
  const e = entry.trim();
  if (!/\d/.test(e) && e.length > 2) return say('add_e_area_not', { e });
  const up = e.toUpperCase().replace(/^[^A-Z0-9]+|[^A-Z0-9]+$/g, '');
  if (/[^A-Z0-9\s]/.test(up)) return say('add_e_area_chars', { e });
  const t = up.split(/\s+/), c = t.join('');
  let district, sector = '';
  if (t.length === 2 && OUT.test(t[0]) && /^\d[A-Z]{2}$/.test(t[1]) || t.length === 1 && /^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(c)) {
    return say('add_e_area_full', { e, district: c.slice(0, -3), sector: `${c.slice(0, -3)} ${c.slice(-3, -2)}` });
  }
  if (t.length === 2 && OUT.test(t[0]) && /^\d$/.test(t[1])) [district, sector] = t;
  else if (t.length === 1 && OUT.test(c)) district = c;
  else if (t.length === 1 && /^[A-Z]{1,2}$/.test(c)) return say('add_e_area_area', { e, area: c });
  else if (t.length === 1 && /\d$/.test(c) && OUT.test(c.slice(0, -1))) [district, sector] = [c.slice(0, -1), c.slice(-1)];
  else return say('add_e_area_not', { e });
  const code = district.replace(/\d.*/, ''), sh = await get('areas/' + code);
  let d = sh && sh.d[district];
  // NR77, no district, is sector 7 of NR7 (postcode.rs, as search.js reads it).
  const head = district.slice(0, -1), last = district.slice(-1);
  if (sh && !d && !sector && OUT.test(head) && /\d/.test(last) && (sh.d[head]?.s || '').includes(last)) [d, district, sector] = [sh.d[head], head, last];
  if (!sh) return say('add_e_area_no_area', { e, code });
  if (!d) return say('add_e_area_no_district', { e, district });
  if (sector && d.s && !d.s.includes(sector)) return say('add_e_area_no_sector', { e, district, sector, list: [...d.s].map(s => district + ' ' + s).join(say('list_sep')) });
  return null;
}

window.aidmapChecks = { phone, email, web, area, items };

const form = document.querySelector('form.add-group');
if (!form) return;
try { Object.assign(W, JSON.parse(form.dataset.words || '{}')); } catch { /* the keys show: still a message */ }
const ROOT = new URL('./', document.currentScript.src).href;
// The checks below replace the browser's own bubbles, which are neither in the summary
// nor read out with the field.
form.noValidate = true;
const shards = {};
const get = path => shards[path] = shards[path] || fetch(`${ROOT}search/${path}.json`)
  .then(r => r.ok ? r.json() : r.status === 404 ? null : Promise.reject(r.status))
  .catch(e => { delete shards[path]; throw e; });
const fields = [...form.querySelectorAll('[data-label]')];
const value = f => f.value.trim();
const title = document.title;

// Every problem as [field, message], in the order of the form.
async function problems() {
  const out = [];
  for (const f of fields) {
    const v = value(f), id = f.name;
    if (!v) {
      if (f.required) out.push([f, say('add_e_required', { label: f.dataset.name.toLowerCase() })]);
      continue;
    }
    if (f.maxLength > 0 && [...v].length > f.maxLength) out.push([f, say('add_e_too_long', { label: f.dataset.name, max: f.maxLength })]);
    const m = id === 'phone' ? phone(v) : id === 'email' ? email(v) : ['website', 'whatsapp', 'facebook'].includes(id) ? web(v) : null;
    if (m) out.push([f, m]);
    if (id === 'areas') {
      let found;
      try {
        found = (await Promise.all(items(v).map(a => area(a, get)))).filter(Boolean);
      } catch {
        found = []; // the shards did not load: intake checks the areas
      }
      if (found.length) out.push([f, found.join('. ')]);
    }
  }
  return out;
}

const make = (tag, cls, text = '') => Object.assign(document.createElement(tag), { className: cls, textContent: text });
let summary;
function clear() {
  summary?.remove();
  summary = null;
  document.title = title;
  for (const f of fields) {
    document.getElementById('e-' + f.name)?.remove();
    f.removeAttribute('aria-invalid');
    f.setAttribute('aria-describedby', (f.getAttribute('aria-describedby') || '').replace(/\s*e-\S+/g, '').trim());
    if (!f.getAttribute('aria-describedby')) f.removeAttribute('aria-describedby');
  }
}
function show(list) {
  clear();
  summary = make('div', 'error-summary');
  summary.setAttribute('role', 'alert');
  summary.tabIndex = -1;
  summary.append(make('h2', 'error-summary-title', say('add_e_title')));
  const ul = summary.appendChild(make('ul', ''));
  for (const [f, m] of list) {
    const a = ul.appendChild(make('li', '')).appendChild(make('a', '', m));
    a.href = '#' + f.id;
    a.onclick = e => { e.preventDefault(); f.focus(); };
    if (document.getElementById('e-' + f.name)) continue;
    const p = make('p', 'error-message');
    p.id = 'e-' + f.name;
    p.append(make('span', 'visually-hidden', say('add_e_prefix')), m);
    f.before(p);
    f.setAttribute('aria-invalid', 'true');
    f.setAttribute('aria-describedby', ((f.getAttribute('aria-describedby') || '') + ' ' + p.id).trim());
  }
  form.before(summary);
  document.title = say('add_e_prefix') + title;
  summary.focus();
}

// The new-issue address for the answers, largest answers left out until it fits (links.rs prefill).
function prefill() {
  const enc = s => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()~]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  const hidden = [...form.querySelectorAll('input[type=hidden]')].map(h => `${h.name}=${enc(h.value)}`);
  const base = `${form.action}?${hidden.join('&')}`;
  const params = fields.filter(f => value(f)).map(f => [f, `&${f.name}=${enc(value(f))}`]);
  const copy = [];
  let total = bytes(base) + params.reduce((n, p) => n + bytes(p[1]), 0);
  while (total > MAX_URL_BYTES && params.length) {
    const i = params.reduce((b, p, j) => bytes(p[1]) > bytes(params[b][1]) ? j : b, 0);
    total -= bytes(params[i][1]);
    copy.push(params.splice(i, 1)[0][0]);
  }
  return { url: base + params.map(p => p[1]).join(''), copy };
}

// The submission text with the answers (body.rs render), from the page's own empty copy.
const blank = document.querySelector('pre.copy code')?.textContent || '';
function body(consent) {
  const byLabel = Object.fromEntries(fields.map(f => [f.dataset.label, value(f)]));
  byLabel.Request = form.elements.request?.value || '';
  return blank.replace(/### (.+)\n\n_No response_\n/g, (all, label) => byLabel[label] ? `### ${label}\n\n${byLabel[label]}\n` : all)
    .replace('- [ ] ', consent ? '- [X] ' : '- [ ] ');
}

let copyBox;
form.addEventListener('submit', async e => {
  e.preventDefault();
  const list = await problems();
  if (list.length) return show(list);
  clear();
  const { url, copy } = prefill();
  if (!copy.length) return location.assign(url);
  // Too long for one link: the link without the largest answers, and those to copy.
  copyBox?.remove();
  copyBox = make('div', 'copy-blocks');
  copyBox.tabIndex = -1;
  copyBox.append(make('h2', '', say('add_too_long_title')), make('p', '', say('add_too_long_text')));
  const a = copyBox.appendChild(make('p', '')).appendChild(make('a', 'copy-link', say('add_continue')));
  a.href = url;
  for (const f of copy) {
    // GitHub's form names its fields in English: both names when the page's differ.
    copyBox.append(make('h3', '', f.dataset.name === f.dataset.label ? f.dataset.name : `${f.dataset.name} (${f.dataset.label})`));
    copyBox.appendChild(make('pre', 'copy')).appendChild(make('code', '', value(f)));
  }
  form.after(copyBox);
  copyBox.focus();
});

// The e-mail route: the link carries the answers once they pass the checks.
const mail = document.querySelector('a.mail-answers');
if (mail) {
  const to = mail.href.replace(/\?.*/, '');
  const tick = make('input', '');
  tick.type = 'checkbox';
  tick.id = 'f-consent';
  tick.name = 'consent';
  const label = make('label', '', say('add_consent'));
  label.htmlFor = tick.id;
  const p = make('p', 'field consent');
  p.append(tick, ' ', label);
  mail.parentNode.before(make('p', '', say('add_mail_tick')), p);
  mail.addEventListener('click', async e => {
    // Nothing filled in: the e-mail starts from the empty text, to fill in by hand.
    if (fields.every(f => !value(f))) return;
    e.preventDefault();
    const list = await problems();
    if (!tick.checked) list.push([tick, say('add_e_consent')]);
    if (list.length) return show(list);
    clear();
    const enc = s => encodeURIComponent(s);
    const href = `${to}?subject=${enc('New group listing')}&body=${enc(body(true))}`;
    if (bytes(href) > MAX_MAILTO_BYTES) return show([[form.elements.description || fields[0], say('add_e_mail_long')]]);
    mail.href = href;
    location.assign(href);
  });
}
})();
