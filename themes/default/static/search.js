// Search over search/ (format: src/search/mod.rs), step for step as query.rs. ES2017,
// else the form goes to postcodes/. When needed: search-words.js (places, words),
// search-more.js (location, postcodes that do not exist).
(() => {
const form = document.querySelector('form.search'), out = document.getElementById('results');
if (!form || !out) return;
const input = form.elements.q, NEWTAB = form.hasAttribute('data-new-tab');
// Files beside this script; pages and words (search-<code>.js: {places}, CLDR plurals) in the page's language
const ROOT = new URL('./', document.currentScript.src).href, PAGE = new URL(form.dataset.root || './', location.href).href;
const M = window.aidmapM;
if (!M) return;
const STOP = ' a an and any are as at be by for from i in is it its me my of on or our the their to we who with you your ';
const fill = (s, v = {}) => (s || '').replace(/\{(\w+)\}/g, (m, k) => k in v ? v[k] : m);
const PR = window.Intl && Intl.PluralRules && new Intl.PluralRules(M.lang);
const count = (w, n, v = {}) => fill(typeof w === 'object' ? w[PR ? PR.select(n) : n === 1 ? 'one' : 'other'] || w.other : w, Object.assign({ n: n.toLocaleString(M.lang + '-u-nu-latn') }, v));
const OUT = /^[A-Z]{1,2}\d[A-Z0-9]?$/;

// null if no such shard; a failed load is retried
const cache = {};
const get = path => cache[path] = cache[path] || fetch(`${ROOT}search/${path}.json`)
  .then(r => r.ok ? r.json() : r.status === 404 ? null : Promise.reject(r.status))
  .catch(e => { delete cache[path]; throw e; });
const areaOf = code => code.replace(/\d.*/, '');
// A big area's shard is an index of its districts, each naming (b) the part with its groups.
const areaShard = code => get('areas/' + areaOf(code)).then(sh => {
  const e = sh && (sh.d[code] || sh.d[code.slice(0, -1)]);
  return e && e.b >= 0 ? get(`areas/${sh.area}/${e.b}`).then(p => Object.assign({}, sh, p, { d: Object.assign({}, sh.d, p.d) })) : sh;
});

const fold = s => s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f'\u2018\u2019]/g, '')
  .replace(/[^a-z0-9]+/g, ' ').trim().replace(/\bsaint\b/g, 'st');
const words = s => fold(s).split(' ').filter(w => w.length > 1 && !STOP.includes(` ${w} `))
  .filter((w, i, ws) => w !== ws[i - 1]);
const shardKey = f => f.replace(/ /g, '').slice(0, 2);
const nothing = message => ({ message, hits: [], nothing: true });
// A hit: {g: a group (src/search/mod.rs), covers|miles}.
const add = (hits, h) => hits.some(x => x.g[0] === h.g[0]) || hits.push(h);
const load = (file, name) => window[name] ? Promise.resolve(window[name]) : new Promise((ok, no) => Object.assign(
  document.head.appendChild(document.createElement('script')), { src: ROOT + file, onload: () => ok(window[name]), onerror: no }));
const more = () => load('search-more.js', 'aidmapMore');

// [district, sector digit or '', unit letters or ''] (postcode.rs INWARD), or null
function parse(q) {
  const t = q.toUpperCase().replace(/[^A-Z0-9 ]/g, ' ').trim().split(/\s+/), c = t.join('');
  let m;
  if (t.length === 2 && OUT.test(t[0])) return (m = /^(\d)([ABD-HJLNP-UW-Z]{2})?$/.exec(t[1])) && [t[0], m[1], m[2] || ''];
  if (OUT.test(c)) return [c, '', ''];
  return (m = /^(.+)(\d)([ABD-HJLNP-UW-Z]{2})?$/.exec(c)) && OUT.test(m[1]) ? [m[1], m[2], m[3] || ''] : null;
}

const and = l => l.length > 1 ? fill(M.list_and, { list: l.slice(0, -1).join(M.list_sep), last: l[l.length - 1] }) : l[0];
const starting = x => fill(M.postcodes_starting, { x });
// `say` starts the message, `said` names the sector; as query.rs district_answer.
function districtAnswer(sh, code, sector, say = '', said = '') {
  const d = sh.d[code], p = d.p || {}, pn = d.pn || {}, hits = [];
  if (d.x) return nothing(say + fill(M.large_user, { code }));
  if (!(d.s || '').includes(sector)) sector = '';
  const what = sector ? said || code + ' ' + sector : code, digits = sector ? [] : Object.keys(p).sort();
  const parts = digits.map(s => `${code} ${s}` + (pn[s] ? ` (${pn[s]})` : ''));
  const lists = sector ? [[p[sector], code + ' ' + sector], [d.w, code]] : [[d.w, code], ...digits.map(s => [p[s], code + ' ' + s])];
  for (const [list, covers] of lists) for (const i of list || []) add(hits, { g: sh.g[i], covers });
  const rest = h => !sector && h.covers !== code;
  hits.sort((a, b) => rest(a) - rest(b) || a.g[6] - b.g[6]);
  const whole = hits.filter(h => !rest(h)).length, part = hits.length - whole, v = { what, parts: and(parts) };
  const m = whole ? count(M.answer_cover, whole, v) + (part ? ' ' + count(M.answer_more_part, part, v) : '')
    : part ? count(M.answer_part, part, v) : '';
  if (m) return { message: say + m, hits };
  const near = ((sector ? (d.sn || {})[sector] : d.near) || []).map(([i, miles]) => ({ g: sh.g[i], miles }));
  return near.length ? { message: say + fill(M.answer_nearest, v), hits: near }
    : { message: say + fill(M.answer_none_near, { what, miles: sh.r }), hits: [], other: sh.f };
}

async function postcode(q) {
  let [code, s, unit] = parse(q) || [];
  if (!code) return nothing(await (await more()).wrong(q, null, null, '', H));
  const sh = await areaShard(code), head = code.slice(0, -1), last = code.slice(-1);
  let d = sh && sh.d[code];
  // NR23, no district, is sector 3 of NR2.
  if (sh && !d && !s && (sh.d[head] && sh.d[head].s || '').includes(last)) [d, code, s] = [sh.d[head], head, last];
  return d && !(s && d.s && !d.s.includes(s)) ? Object.assign(districtAnswer(sh, code, s, '', unit && `${code} ${s}${unit}`), { near: q.toUpperCase() }) : nothing(await (await more()).wrong(q, sh, code, s, H));
}

// Places and words: search-words.js (a word search loads its shards anyway).
const H = { get, parse, TRY: M.try, areaShard, districtAnswer, nothing, fold, words, shardKey, add, M, fill, count, starting };
const find = q => /\d/.test(q = q.trim()) ? postcode(q) : load('search-words.js', 'aidmapWords').then(m => m.wordsAndPlaces(q, H));

const el = (parent, tag, textContent = '', className = '') => parent.appendChild(Object.assign(document.createElement(tag), { textContent, className }));
function link(parent, href, text) {
  const a = el(parent, 'a', text);
  a.href = href;
  if (NEWTAB && /^https?:/.test(a.href)) {
    a.target = '_blank';
    a.rel = 'noopener';
  }
  return a;
}
// partials/group_card.html's card: name, call, when, what, where, checked.
function render({ message, hits, places = [], choose = [], other }, title) {
  out.textContent = '';
  const h = title && el(out, 'h2', title, 'result-heading');
  el(out, 'p', message, 'result-message');
  if (other) {
    const ul = el(out, 'ul', '', 'result-other');
    for (const [name, phone, what] of other) link(el(ul, 'li', name + ': '), 'tel:' + phone.replace(/ /g, ''), phone).after(' · ' + what);
    link(el(out, 'p'), PAGE + 'about/#start', M.start_group_here);
  }
  // Places to choose from come with search-words.js, which draws them.
  if (places.length + choose.length) window.aidmapWords.lists(choose, places, { out, el, link, PAGE, count, M });
  for (const { g: [slug, name, phone, tel, , , status, hours, help, langs, checked, stale], miles, covers } of hits) {
    const c = el(out, 'article', '', 'card result status-' + ['active', 'paused', 'closed'][status]);
    link(el(c, 'h3'), `${PAGE}groups/${slug}/`, name);
    if (status) el(c, 'p', status < 2 ? M.status_paused : M.status_closed, 'status');
    if (phone && status < 2) {
      const a = link(el(c, 'p'), 'tel:' + (tel || phone), M.call + ' ');
      a.className = 'button call';
      el(a, 'span', phone, 'tel');
      if (hours) el(c, 'p', hours, 'hours');
    }
    if (miles !== undefined) el(c, 'p', fill(M.miles_away, { miles: miles.toFixed(1) }), 'distance');
    if (help) el(c, 'p', help.split(' ').map(k => M.help[k] || k).join(' · '), 'kinds');
    if (langs) el(c, 'p', M.speaks + ' ' + langs);
    if (covers) el(c, 'p', M.covers + ' ' + (covers.includes(' ') ? starting(covers) : covers), 'meta');
    const [year, mo, day] = (checked || '').split('-').map(Number);
    if (checked) el(c, 'p', `${M.checked} ${fill(M.date, { day, month: M.months[mo - 1], year })}${stale ? M.card_may_be_out_of_date : ''}`, stale ? 'meta stale' : 'meta');
  }
  // On a small phone the answer is below the fold.
  if (h) {
    h.tabIndex = -1;
    h.focus();
    h.scrollIntoView();
  }
}

// Only the latest search shows; while typing, suggestions only ("Wils": Wilsden or Wilstead?).
let seq = 0, timer;
async function run(pending, q, typing) {
  const n = ++seq;
  out.setAttribute('aria-busy', 'true');
  const a = await pending.catch(() => ({ message: M.load_failed, hits: [] }));
  if (n !== seq) return;
  if (!typing) render(a, a.you ? M.help_near_you : a.near ? fill(M.help_near, { place: a.near }) : q && fill(M.results_for, { q }));
  else if ((a.places || []).length) render({ message: fill(M.places_starting, { q }), hits: [], places: a.places });
  else out.textContent = '';
  out.removeAttribute('aria-busy');
}
function search(e, q) {
  e.preventDefault();
  clearTimeout(timer);
  history.replaceState(null, '', '?q=' + encodeURIComponent(input.value = q));
  run(find(q), q.trim());
}
form.onsubmit = e => search(e, input.value);
out.onclick = e => e.target.dataset.q && search(e, e.target.dataset.q);
input.oninput = () => {
  clearTimeout(timer);
  const q = input.value.trim();
  if (!/\d/.test(q) && fold(q).length > 2) timer = setTimeout(() => run(find(q), q, true), 250);
};
if (navigator.geolocation) {
  const b = el(form, 'button', M.use_location, 'locate secondary');
  b.type = 'button';
  b.onclick = () => {
    render(nothing(M.finding));
    navigator.geolocation.getCurrentPosition(
      ({ coords: c }) => run(more().then(m => m.locate([c.latitude, c.longitude], Object.assign({ input }, H)))),
      () => render(nothing(M.no_location)),
      { timeout: 15000, maximumAge: 600000 });
  };
}
const start = new URLSearchParams(location.search).get('q');
if (start) run(find(input.value = start), start.trim());
form.hidden = false;
})();
