// The less common paths of search.js, loaded when first needed (format: src/search/mod.rs):
// place names and words, "use my location" and what to say of a postcode that does not exist. Each
// follows src/search/query.rs step for step.
(() => {
const CHUNK = 100; // shards.rs GROUP_CHUNK
// Grid cells (shards.rs grid_cell): a tenth of a degree of latitude by 0.15 of longitude.
const LAT = 10, LON = 20 / 3;
// Miles per degree along a meridian, a little under the true 69.09, so a lower bound.
const MI = 68.9;
const rad = x => x * Math.PI / 180, hav = (a, b) => Math.sin(rad(b - a) / 2) ** 2;
const miles = ([lat1, lon1], [lat2, lon2]) =>
  2 * 6371.0088 * Math.asin(Math.sqrt(hav(lat1, lat2) + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * hav(lon1, lon2))) / 1.609344;
const cmp = (x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1);
function lev(a, b) {
  let p = [...Array(b.length + 1).keys()];
  for (const x of a) p = [...b].reduce((c, y, j) => [...c, Math.min(p[j + 1] + 1, c[j] + 1, p[j] + (x !== y))], [p[0] + 1]);
  return p[b.length];
}

// Groups matching every word (query.rs word_hits): how many, and the best 10. Only the
// groups that can be among the best 10 are loaded.
async function wordHits(f, { get, words, shardKey }) {
  const qw = words(f), shards = await Promise.all(qw.map(w => get('words/' + shardKey(w))));
  const best = qw.map((w, n) => {
    const b = {}, idx = shards[n] || {};
    for (const k in idx) if (k.startsWith(w) && (k === w || w.length > 2)) {
      for (const [g, weight] of idx[k]) b[g] = Math.max(b[g] || 0, weight * 2 - (k !== w));
    }
    return b;
  });
  const score = id => best.reduce((s, b) => s + b[id], 0);
  const ids = Object.keys(best[0] || {}).filter(g => best.every(b => g in b)).map(Number).sort((a, b) => score(b) - score(a) || a - b);
  const top = ids.filter(id => ids.length <= 10 || score(id) >= score(ids[9]));
  const chunks = await Promise.all(top.map(id => get('groups/' + Math.floor(id / CHUNK))));
  const hits = top.map((id, i) => ({ id, score: score(id), g: chunks[i][id % CHUNK] }));
  return [ids.length, hits.sort((a, b) => b.score - a.score || a.g[6] - b.g[6] || a.id - b.id).slice(0, 10)];
}

// A place name or words (query.rs words_and_places).
async function wordsAndPlaces(q, H) {
  const { get, fold, shardKey, nothing, districtAnswer, areaShard, add, TRY } = H;
  const f = fold(q), key = shardKey(f), none = nothing(`Nothing found for “${q}”. ${TRY}`);
  if (key.length < 2) return none;
  const [{ p: list, c } = { p: [], c: {} }, [n, wh]] = await Promise.all([get('places/' + key).then(x => x || undefined), wordHits(f, H)]);
  // Exact names first, then in answer order (index.rs Place::rank).
  const found = list.filter(([k]) => k.startsWith(f)), places = [...found.filter(x => x[0] === f), ...found.filter(x => x[0] !== f)].slice(0, 8);
  const [k, name, district] = places[0] || [];
  const a = c[f] ? { message: `Which ${name}? There are places of that name in ${c[f].length} parts of the country:`, hits: [], choose: c[f] }
    : k === f ? Object.assign(districtAnswer(await areaShard(district), district, '', `${name} is in ${district}. `), { near: name })
    : k ? { message: `Places starting “${q}”: choose yours.`, hits: [] }
    : n ? { message: `${n} group${n > 1 ? 's match' : ' matches'} “${q}”.` + (n > 10 ? ' The best 10 are below: add your postcode or town to see the ones near you.' : ''), hits: [] } : none;
  wh.forEach(h => add(a.hits, h));
  a.places = places;
  return a;
}

// The residential sector centroid nearest `here` (query.rs nearest_sector): cells ring by
// ring around here's cell, until no cell left unread can hold a nearer one.
async function nearest(get, here) {
  const [lat, lon] = here, i0 = Math.floor(lat * LAT), j0 = Math.floor(lon * LON);
  let best = null;
  for (let k = 0; k < 80; k++) {
    const cells = [];
    for (let i = i0 - k; i <= i0 + k; i++) {
      for (let j = j0 - k; j <= j0 + k; j++) if (Math.max(Math.abs(i - i0), Math.abs(j - j0)) === k) cells.push(get(`grid/${i}_${j}`));
    }
    for (const list of await Promise.all(cells)) {
      for (const [c, la, lo] of list || []) {
        const m = miles(here, [la, lo]);
        if (!best || m < best[0] || m === best[0] && c < best[1]) best = [m, c];
      }
    }
    // A point outside the square read so far is beyond its nearest edge, north-south or
    // east-west (the latter measured at the square's highest latitude).
    const ns = Math.min(lat - (i0 - k) / LAT, (i0 + k + 1) / LAT - lat) * MI;
    const ew = Math.min(lon - (j0 - k) / LON, (j0 + k + 1) / LON - lon) * MI * Math.cos(rad(Math.min(89, Math.abs(lat) + (k + 1) / LAT)));
    if (best && best[0] <= Math.min(ns, ew)) break;
  }
  return best && best[1];
}

async function locate(here, { get, areaShard, districtAnswer, nothing, input }) {
  const c = await nearest(get, here);
  if (!c) return nothing('No postcode district is near where you are.');
  const [code, s = ''] = c.split(' '), sh = await areaShard(code);
  input.value = c;
  return Object.assign(districtAnswer(sh, code, s, `Your postcode district is ${code} (${sh.d[code].n})${s ? ', sector ' + c : ''}. `), { near: 'you' });
}

// What to say when the area shard `sh` (null if none) has no district `code` or no sector
// `s`, as query.rs postcode: first a letter O or I typed for 0 or 1 (or back), in order.
async function wrong(q, sh, code, s, { get, parse, TRY }) {
  const t = [...q.trim().toUpperCase()], at = t.map((c, i) => 'OI01'.includes(c) ? i : -1).filter(i => i >= 0).slice(0, 6);
  for (let mask = 1; mask < 1 << at.length; mask++) {
    const v = t.map((c, i) => at.some((p, b) => p === i && mask & 1 << b) ? { O: '0', 0: 'O', I: '1', 1: 'I' }[c] : c).join('');
    const [vc, vs] = parse(v) || [], vsh = vc && await get('areas/' + vc.replace(/\d.*/, '')), d = vsh && vsh.d[vc];
    if (d && !d.x && (!vs || !d.s || d.s.includes(vs))) return `No postcode ${q.trim().toUpperCase()} exists. Did you mean ${v}?`;
  }
  if (!code) return `“${q}” is not a UK postcode. ${TRY}`;
  const mean = l => l.length ? `; did you mean ${l.join(', ')}?` : '';
  const like = (x, codes, n) => codes.map(c => [lev(x, c), c]).filter(y => y[0] <= n).sort(cmp).slice(0, 3).map(y => y[1]);
  const area = code.replace(/\d.*/, '');
  if (!sh) return `There is no postcode area ${area}${mean(like(area, (await get('index')).areas.map(a => a[0]), 1))}`;
  const d = sh.d[code];
  if (d) return `No postcode sector ${code} ${s} exists; its district has ${[...d.s].map(x => code + ' ' + x).join(', ')}.`;
  return `${code} is not a postcode district where people live${mean(like(code, Object.keys(sh.d).filter(c => !sh.d[c].x), 2))}`;
}

window.aidmapMore = { wordsAndPlaces, nearest, locate, wrong };
})();
