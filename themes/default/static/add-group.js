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
(() => {
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
    else if (!' -.()'.includes(c)) return `“${input}” is not a phone number: it has the character “${c}”`;
  }
  let national = digits;
  for (const p of ['+44', '0044']) if (digits.startsWith(p)) national = '0' + digits.slice(p.length).replace(/^0+/, '');
  if (national === digits && digits.startsWith('+')) return `“${input}” is not a UK number: only +44 numbers can be listed`;
  if (!national.startsWith('0')) return `“${input}” is not a full UK phone number: it should start with 0 and include the area code`;
  if (national.startsWith('09')) return `“${input}” is a premium-rate number; residents must not pay to ask for help`;
  const prefix = ['01', '02', '03', '07', '08'].some(p => national.startsWith(p));
  const length = national.length === 11 || (national.length === 10 && national.startsWith('01'));
  return prefix && length ? null : `“${input}” is not a UK phone number: it should have 11 digits, like 01632 960123 or 07700 900123`;
}

// check.rs email.
function email(input) {
  const at = input.indexOf('@'), local = input.slice(0, at), labels = input.slice(at + 1).split('.');
  const label = l => l.length > 0 && bytes(l) <= 63 && !l.startsWith('-') && !l.endsWith('-') && [...l].every(c => alnum(c) || c === '-');
  const ok = at > 0 && bytes(local) <= 64 && bytes(input) <= 254 && !local.startsWith('.') && !local.endsWith('.') &&
    !local.includes('..') && [...local].every(c => alnum(c) || ".-_+'".includes(c)) && labels.length >= 2 && labels.every(label);
  return ok ? null : `“${input}” is not an e-mail address; write it like name@example.org`;
}

// check.rs web_url (WhatsApp and Facebook links are held to their hosts by intake).
function web(input) {
  const t = input.trim();
  if (/[\s\p{Cc}\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/u.test(t)) return `“${input}” contains spaces or invisible control characters`;
  let u;
  try { u = new URL(t); } catch { return `“${input}” is not a web address; write it in full, starting with https://`; }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `“${input}” uses ${u.protocol}; only https:// and http:// links can be published`;
  if (!u.hostname) return `“${input}” has no website name after https://`;
  if (u.username || u.password) return `“${input}” has a name and @ before the website name, which hides where the link really goes`;
  if (t.includes('\\')) return `“${input}” has a backslash in it; web addresses use / only`;
  return null;
}

// intake's items: one to a line or separated by commas.
const items = v => v.split(/[\n,]/).map(s => s.trim().replace(/^- \[[xX]\]/, '').replace(/^[-* ]+/, '').trim()).filter(Boolean);

const OUT = /^[A-Z]{1,2}\d[A-Z\d]?$/;
// areas.rs check_entry for one entry, the districts read from the area shards (`get`
// gives search/<path>.json, or null when there is no such file).
async function area(entry, get) {
  const e = entry.trim();
  if (!/\d/.test(e) && e.length > 2) return `“${e}” is not a postcode district or sector: write a district like NR2 or a sector like NR3 1`;
  const up = e.toUpperCase().replace(/^[^A-Z0-9]+|[^A-Z0-9]+$/g, '');
  if (/[^A-Z0-9\s]/.test(up)) return `“${e}” is not a postcode: use letters, digits and a space`;
  const t = up.split(/\s+/), c = t.join('');
  let district, sector = '';
  if (t.length === 2 && OUT.test(t[0]) && /^\d[A-Z]{2}$/.test(t[1]) || t.length === 1 && /^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(c)) {
    return `“${e}” is a full postcode: give a district or sector, such as ${c.slice(0, -3)} or ${c.slice(0, -3)} ${c.slice(-3, -2)}`;
  }
  if (t.length === 2 && OUT.test(t[0]) && /^\d$/.test(t[1])) [district, sector] = t;
  else if (t.length === 1 && OUT.test(c)) district = c;
  else if (t.length === 1 && /^[A-Z]{1,2}$/.test(c)) return `“${e}” is a postcode area: list the districts the group covers, such as ${c}1, ${c}2`;
  else if (t.length === 1 && /\d$/.test(c) && OUT.test(c.slice(0, -1))) [district, sector] = [c.slice(0, -1), c.slice(-1)];
  else return `“${e}” is not a postcode district or sector: write a district like NR2 or a sector like NR3 1`;
  const code = district.replace(/\d.*/, ''), sh = await get('areas/' + code);
  let d = sh && sh.d[district];
  // NR77, no district, is sector 7 of NR7 (postcode.rs, as search.js reads it).
  const head = district.slice(0, -1), last = district.slice(-1);
  if (sh && !d && !sector && OUT.test(head) && /\d/.test(last) && (sh.d[head]?.s || '').includes(last)) [d, district, sector] = [sh.d[head], head, last];
  if (!sh) return `“${e}”: there is no postcode area ${code}`;
  if (!d) return `“${e}”: there is no postcode district ${district}`;
  if (sector && d.s && !d.s.includes(sector)) return `“${e}”: there is no postcode sector ${district} ${sector}; ${district} has ${[...d.s].map(s => district + ' ' + s).join(', ')}`;
  return null;
}

window.aidmapChecks = { phone, email, web, area, items };

const form = document.querySelector('form.add-group');
if (!form) return;
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
      if (f.required) out.push([f, `Enter the ${f.dataset.label.toLowerCase()}`]);
      continue;
    }
    if (f.maxLength > 0 && [...v].length > f.maxLength) out.push([f, `${f.dataset.label} is longer than ${f.maxLength} characters`]);
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
  summary.append(make('h2', 'error-summary-title', 'There is a problem'));
  const ul = summary.appendChild(make('ul', ''));
  for (const [f, m] of list) {
    const a = ul.appendChild(make('li', '')).appendChild(make('a', '', m));
    a.href = '#' + f.id;
    a.onclick = e => { e.preventDefault(); f.focus(); };
    if (document.getElementById('e-' + f.name)) continue;
    const p = make('p', 'error-message');
    p.id = 'e-' + f.name;
    p.append(make('span', 'visually-hidden', 'Error: '), m);
    f.before(p);
    f.setAttribute('aria-invalid', 'true');
    f.setAttribute('aria-describedby', ((f.getAttribute('aria-describedby') || '') + ' ' + p.id).trim());
  }
  form.before(summary);
  document.title = 'Error: ' + title;
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
  copyBox.append(make('h2', '', 'Some answers are too long to send in the link'),
    make('p', '', 'Open the form on GitHub with the link below, then copy each answer here into the field of the same name.'));
  const a = copyBox.appendChild(make('p', '')).appendChild(make('a', 'copy-link', 'Continue on GitHub'));
  a.href = url;
  for (const f of copy) {
    copyBox.append(make('h3', '', f.dataset.label));
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
  const label = make('label', '', blank.match(/- \[ \] (.*)/)?.[1] || '');
  label.htmlFor = tick.id;
  const p = make('p', 'field consent');
  p.append(tick, ' ', label);
  mail.parentNode.before(make('p', '', 'Filled in the form above? Tick this box and the link below puts your answers in the e-mail.'), p);
  mail.addEventListener('click', async e => {
    // Nothing filled in: the e-mail starts from the empty text, to fill in by hand.
    if (fields.every(f => !value(f))) return;
    e.preventDefault();
    const list = await problems();
    if (!tick.checked) list.push([tick, 'Tick the box to say the group agreed to publish these details']);
    if (list.length) return show(list);
    clear();
    const enc = s => encodeURIComponent(s);
    const href = `${to}?subject=${enc('New group listing')}&body=${enc(body(true))}`;
    if (bytes(href) > MAX_MAILTO_BYTES) return show([[form.elements.description || fields[0], 'These answers are too long for an e-mail link: copy the text below into an e-mail instead']]);
    mail.href = href;
    location.assign(href);
  });
}
})();
