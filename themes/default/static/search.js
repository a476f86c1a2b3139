// Search over search/ (format: src/search/mod.rs), step for step as src/search/query.rs.
// ES2017; without it the form goes to postcodes/.
(() => {
const form = document.querySelector('form.search'), out = document.getElementById('results');
if (!form || !out) return;
const input = form.elements.q, NEWTAB = form.hasAttribute('data-new-tab');
const ROOT = new URL('./', document.currentScript.src).href;
const CHUNK = 100; // shards.rs GROUP_CHUNK
const STOP = ' a an and any are as at be by for from i in is it its me my of on or our the their to we who with you your ';
const TRY = 'Try your postcode (such as NR2 3AB) or its first half (NR2), your town or village, or what you need (shopping, prescriptions).';
const OUT = /^[A-Z]{1,2}\d[A-Z0-9]?$/;

// null if there is no such shard; a failed load is retried next time
const cache = {};
const get = path => cache[path] = cache[path] || fetch(`${ROOT}search/${path}.json`)
  .then(r => r.ok ? r.json() : r.status === 404 ? null : Promise.reject(r.status))
  .catch(e => { delete cache[path]; throw e; });
const areaOf = code => code.replace(/\d.*/, '');
const areaShard = code => get('areas/' + areaOf(code));

const fold = s => s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f'\u2018\u2019]/g, '')
  .replace(/[^a-z0-9]+/g, ' ').trim();
const words = s => fold(s).split(' ').filter(w => w.length > 1 && !STOP.includes(` ${w} `))
  .filter((w, i, ws) => w !== ws[i - 1]);
const shardKey = f => f.replace(/ /g, '').slice(0, 2);
const rad = x => x * Math.PI / 180, hav = (a, b) => Math.sin(rad(b - a) / 2) ** 2;
const miles = ([lat1, lon1], [lat2, lon2]) =>
  2 * 6371.0088 * Math.asin(Math.sqrt(hav(lat1, lat2) + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * hav(lon1, lon2))) / 1.609344;
const nothing = message => ({ message, hits: [], nothing: true });
// A hit is {g, covers or miles}, g [slug, name, phone, tel, email, web, status].
const add = (hits, h) => hits.some(x => x.g[0] === h.g[0]) || hits.push(h);
const cmp = (x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1);
function lev(a, b) {
  let p = [...Array(b.length + 1).keys()];
  for (const x of a) p = [...b].reduce((c, y, j) => [...c, Math.min(p[j + 1] + 1, c[j] + 1, p[j] + (x !== y))], [p[0] + 1]);
  return p[b.length];
}

// [district, sector digit or ''], or null
function parse(q) {
  const t = q.toUpperCase().replace(/[^A-Z0-9 ]/g, ' ').trim().split(/\s+/), c = t.join('');
  let m;
  if (t.length === 2 && OUT.test(t[0])) return (m = /^(\d)([A-Z]{2})?$/.exec(t[1])) && [t[0], m[1]];
  if (OUT.test(c)) return [c, ''];
  return (m = /^(.+)(\d)([A-Z]{2})?$/.exec(c)) && OUT.test(m[1]) ? m.slice(1, 3) : null;
}

// `say` starts the message.
function districtAnswer(sh, code, sector, say = '') {
  const d = sh.d[code], p = d.p || {}, hits = [];
  if (d.x) return nothing(say + code + ' is a postcode for large organisations’ mail: nobody lives there. Try the postcode where you live.');
  if (!d.s) sector = '';
  const what = (code + ' ' + sector).trim();
  const lists = sector ? [[p[sector], what], [d.w, code]] : [[d.w, code], ...Object.keys(p).sort().map(s => [p[s], code + ' ' + s])];
  for (const [list, covers] of lists) for (const i of list || []) add(hits, { g: sh.g[i], covers });
  hits.sort((a, b) => a.g[6] - b.g[6]);
  if (hits.length) return { message: `${say}${hits.length} group${hits.length > 1 ? 's cover' : ' covers'} ${what}.`, hits };
  const near = (d.near || []).map(([i, miles]) => ({ g: sh.g[i], miles }));
  return { message: `${say}No group covers ${what} yet${near.length ? '. The nearest:' : ', and there is none nearby.'}`, hits: near };
}

async function postcode(q) {
  let [code, s] = parse(q) || [];
  if (!code) return nothing(`“${q}” is not a UK postcode. ${TRY}`);
  const sh = await areaShard(code);
  if (!sh) return nothing(`There is no postcode area ${areaOf(code)}. ${TRY}`);
  let d = sh.d[code];
  const head = code.slice(0, -1), last = code.slice(-1);
  // NR23, no district, is sector 3 of NR2.
  if (!d && !s && (sh.d[head] && sh.d[head].s || '').includes(last)) [d, code, s] = [sh.d[head], head, last];
  if (!d) {
    const near = Object.keys(sh.d).filter(c => !sh.d[c].x).map(c => [lev(code, c), c])
      .filter(x => x[0] < 3).sort(cmp).slice(0, 3).map(x => x[1]);
    return nothing(`No postcode district ${code} exists${near.length ? `; did you mean ${near.join(', ')}?` : '.'}`);
  }
  if (s && d.s && !d.s.includes(s)) {
    return nothing(`No postcode sector ${code} ${s} exists; its district has ${[...d.s].map(x => code + ' ' + x).join(', ')}.`);
  }
  return districtAnswer(sh, code, s);
}

async function wordHits(f) {
  const qw = words(f), shards = await Promise.all(qw.map(w => get('words/' + shardKey(w))));
  const best = qw.map((w, n) => {
    const b = {}, idx = shards[n] || {};
    for (const k in idx) if (k.startsWith(w) && (k === w || w.length > 2)) {
      for (const [g, weight] of idx[k]) b[g] = Math.max(b[g] || 0, weight * 2 - (k !== w));
    }
    return b;
  });
  const ids = Object.keys(best[0] || {}).filter(g => best.every(b => g in b)).map(Number);
  const chunks = await Promise.all(ids.map(id => get('groups/' + Math.floor(id / CHUNK))));
  const hits = ids.map((id, i) => ({ id, score: best.reduce((s, b) => s + b[id], 0), g: chunks[i][id % CHUNK] }));
  return hits.sort((a, b) => b.score - a.score || a.g[6] - b.g[6] || a.id - b.id).slice(0, 10);
}
async function wordsAndPlaces(q) {
  const f = fold(q), key = shardKey(f), none = nothing(`Nothing found for “${q}”. ${TRY}`);
  if (key.length < 2) return none;
  const [list, wh] = await Promise.all([get('places/' + key), wordHits(f)]);
  // In answer order (index.rs Place::rank).
  const places = (list || []).filter(([folded]) => folded.startsWith(f)).slice(0, 8);
  const [, name, district] = places[0] || [];
  const a = district ? districtAnswer(await areaShard(district), district, '', `${name} is in ${district}. `)
    : wh.length ? { message: `${wh.length} group${wh.length > 1 ? 's match' : ' matches'} “${q}”.`, hits: [] } : none;
  wh.forEach(h => add(a.hits, h));
  a.places = places;
  return a;
}
const find = q => /\d/.test(q = q.trim()) ? postcode(q) : wordsAndPlaces(q);

async function locate(here) {
  const areas = (await get('index')).areas.map(([code, , lat, lon]) => [miles(here, [lat, lon]), code]).sort(cmp);
  const all = [];
  for (const sh of await Promise.all(areas.slice(0, 3).map(a => areaShard(a[1])))) {
    for (const c in sh.d) if (!sh.d[c].x) all.push([miles(here, sh.d[c].ll), c, sh]);
  }
  const [[, c, sh] = []] = all.sort(cmp);
  if (!sh) return nothing('No postcode district is near where you are.');
  input.value = c;
  return districtAnswer(sh, c, '', `Your district is ${c} (${sh.d[c].n}). `);
}

function el(parent, tag, text, cls) {
  const e = parent.appendChild(document.createElement(tag));
  if (text) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}
function link(parent, href, text) {
  const a = el(parent, 'a', text);
  a.href = href;
  if (NEWTAB && /^https?:/.test(a.href)) {
    a.target = '_blank';
    a.rel = 'noopener';
  }
  return a;
}
function render({ message, hits, places = [] }) {
  out.textContent = '';
  el(out, 'p', message, 'result-message');
  if (places.length) {
    const ul = el(out, 'ul', '', 'result-places');
    for (const [, name, district] of places) {
      link(el(ul, 'li'), ROOT + 'postcodes/?q=' + encodeURIComponent(district), `${name} (${district})`).dataset.q = district;
    }
  }
  if (!hits.length) return;
  const ol = el(out, 'ol', '', 'result-groups');
  for (const { g: [slug, name, phone, tel, email, web, status], miles, covers } of hits) {
    const li = el(ol, 'li', '', 'result status-' + ['active', 'paused', 'closed'][status]), open = status < 2;
    link(el(li, 'h3'), `${ROOT}groups/${slug}/`, name);
    if (phone && open) link(el(li, 'p', '', 'phone'), 'tel:' + (tel || phone), phone);
    if (status) el(li, 'p', status === 1 ? 'Paused: not taking requests just now' : 'Closed', 'status');
    if (miles !== undefined) el(li, 'p', miles.toFixed(1) + ' miles away', 'distance');
    else if (covers) el(li, 'p', 'Covers ' + covers);
    if (open && (email || web)) {
      const p = el(li, 'p', '', 'contacts');
      if (email) link(p, 'mailto:' + email, email);
      if (email && web) p.append(' · ');
      if (web) link(p, web, 'Website');
    }
  }
}

// Only the latest search shows; while typing, "nothing found" stays quiet.
let seq = 0, timer;
async function run(pending, typing) {
  const n = ++seq;
  out.setAttribute('aria-busy', 'true');
  const a = await pending.catch(() => ({
    message: 'The search could not load. Check your connection and try again, or choose your area below.', hits: []
  }));
  if (n !== seq) return;
  if (typing && a.nothing) out.textContent = '';
  else render(a);
  out.removeAttribute('aria-busy');
}
function search(e, q) {
  e.preventDefault();
  clearTimeout(timer);
  history.replaceState(null, '', '?q=' + encodeURIComponent(input.value = q));
  run(find(q));
}
form.onsubmit = e => search(e, input.value);
out.onclick = e => e.target.dataset.q && search(e, e.target.dataset.q);
input.oninput = () => {
  clearTimeout(timer);
  const q = input.value.trim();
  // Places and words as they type; a postcode only once it is whole.
  if (/\d/.test(q) ? parse(q) && /\d[A-Za-z]{2}$/.test(q) : fold(q).length > 2) timer = setTimeout(() => run(find(q), true), 250);
};
if (navigator.geolocation) {
  const b = el(form, 'button', 'Use my location', 'locate');
  b.type = 'button';
  b.onclick = () => {
    render(nothing('Finding where you are…'));
    navigator.geolocation.getCurrentPosition(
      ({ coords: c }) => run(locate([c.latitude, c.longitude])),
      () => render(nothing('Your location is not available. Type your postcode instead.')),
      { timeout: 15000, maximumAge: 600000 });
  };
}
const start = new URLSearchParams(location.search).get('q');
if (start) run(find(input.value = start));
})();
