// The less common paths of search.js, loaded when first needed (format: src/search/mod.rs):
// "use my location" and what to say of a postcode that does not exist. Each follows
// src/search/query.rs step for step. Place names and words are in search-words.js.
(() => {
// Grid cells (geo/cells.rs cell_of): a tenth of a degree of latitude by 0.15 of longitude,
// cell j = floor(lon * NUM / DEN) with Rust's arithmetic; cells with no centroid of their
// own are in grid/b<i/BLOCK>_<j/BLOCK>; NEAR: miles within which a centroid answers.
const LAT = 10, NUM = 20, DEN = 3, BLOCK = 6, NEAR = 0.0621;
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

// A cell's centroids as [code, lat, lon]: stored in 1e-5 degrees from its corner.
const cents = (c, i, j) => c && c.s ? c.s.map(([code, la, lo]) => [code, (i * 10000 + la) / 1e5, (j * 15000 + lo) / 1e5]) : [];
const best = (here, list) => list.reduce((b, [c, la, lo]) => {
  const m = miles(here, [la, lo]);
  return !b || m < b[0] || m === b[0] && c < b[1] ? [m, c] : b;
}, null);
// The centroids of cell i_j (the four quarters' of a split cell); none in a block.
async function own(get, i, j) {
  const c = await get(`grid/${i}_${j}`);
  if (!c || !c.q) return cents(c, i, j);
  return (await Promise.all([0, 1, 2, 3].map(q => get(`grid/${i}_${j}_${q}`)))).flatMap(q => cents(q, i, j));
}

// The residential sector centroid nearest `here` (cells.rs nearest): cells ring by ring
// around here's cell, until no cell left unread can hold a nearer one.
async function nearest(get, here) {
  const [lat, lon] = here, i0 = Math.floor(lat * LAT), j0 = Math.floor(lon * NUM / DEN), LON = NUM / DEN;
  let b = null;
  for (let k = 0; k < 80; k++) {
    const cells = [];
    for (let i = i0 - k; i <= i0 + k; i++) {
      for (let j = j0 - k; j <= j0 + k; j++) if (Math.max(Math.abs(i - i0), Math.abs(j - j0)) === k) cells.push(own(get, i, j));
    }
    for (const list of await Promise.all(cells)) {
      const n = best(here, list);
      if (n && (!b || n[0] < b[0] || n[0] === b[0] && n[1] < b[1])) b = n;
    }
    // A point outside the square read so far is beyond its nearest edge, north-south or
    // east-west (the latter measured at the square's highest latitude).
    const ns = Math.min(lat - (i0 - k) / LAT, (i0 + k + 1) / LAT - lat) * MI;
    const ew = Math.min(lon - (j0 - k) / LON, (j0 + k + 1) / LON - lon) * MI * Math.cos(rad(Math.min(89, Math.abs(lat) + (k + 1) / LAT)));
    if (b && b[0] <= Math.min(ns, ew)) break;
  }
  return b && b[1];
}

// Whether a piece [district, ring, ..] holds (x, y) (1e-4 degrees): even-odd ray casting
// eastward, as cells.rs Piece::holds; a ring is flat deltas from the cell's corner (x0, y0).
function holds([, ...rings], x, y, x0, y0) {
  let odd = !rings.length;
  for (const r of rings) {
    const pts = [];
    for (let k = 0, px = x0, py = y0; k < r.length; k += 2) pts.push([px += r[k], py += r[k + 1]]);
    pts.forEach(([x1, y1], k) => {
      const [x2, y2] = pts[(k + 1) % pts.length];
      if ((y1 > y) !== (y2 > y) && x < x1 + (y - y1) * (x2 - x1) / (y2 - y1)) odd = !odd;
    });
  }
  return odd;
}

// The sector (or district) that answers a position, by cells.rs locate: the cell's nearest
// centroid if within NEAR miles, else the district whose piece holds the position and its
// nearest centroid, else (off every polygon) the cell's nearest, else the nearest anywhere.
async function where(get, here) {
  const [lat, lon] = here, i = Math.floor(lat * LAT), j = Math.floor(lon * NUM / DEN);
  const x0 = j * 1500, y0 = i * 1000, x = lon * 1e4, y = lat * 1e4;
  let c = await get(`grid/${i}_${j}`), b = null;
  if (!c) c = (b = await get(`grid/b${Math.floor(i / BLOCK)}_${Math.floor(j / BLOCK)}`)) && b[`${i}_${j}`];
  if (c && c.q) {
    const h = v => Math.min(1, Math.max(0, Math.floor(v)));
    const k = `${i}_${j}_${h((y - y0) * 2 / 1000) * 2 + h((x - x0) * 2 / 1500)}`;
    c = b ? b[k] : await get(`grid/${k}`);
  }
  if (c) {
    const s = cents(c, i, j), n = best(here, s);
    if (n && n[0] <= NEAR) return n[1];
    const p = c.p.find(p => holds(p, x, y, x0, y0));
    const d = p && best(here, s.filter(e => e[0].split(' ')[0] === p[0]));
    if (d || n) return (d || n)[1];
  }
  return nearest(get, here);
}

async function locate(here, { get, areaShard, districtAnswer, nothing, input, M, fill, starting }) {
  const c = await where(get, here);
  if (!c) return nothing(M.no_district_near);
  const [code, s = ''] = c.split(' '), sh = await areaShard(code);
  input.value = c;
  return Object.assign(districtAnswer(sh, code, s, fill(M.your_district, { code, name: sh.d[code].n }), starting(c)), { you: true });
}

// What to say when the area shard `sh` (null if none) has no district `code` or no sector
// `s`, as query.rs postcode: first a letter O or I typed for 0 or 1 (or back), in order.
async function wrong(q, sh, code, s, { get, parse, TRY, M, fill }) {
  const t = [...q.trim().toUpperCase()], at = t.map((c, i) => 'OI01'.includes(c) ? i : -1).filter(i => i >= 0).slice(0, 6);
  for (let mask = 1; mask < 1 << at.length; mask++) {
    const v = t.map((c, i) => at.some((p, b) => p === i && mask & 1 << b) ? { O: '0', 0: 'O', I: '1', 1: 'I' }[c] : c).join('');
    const [vc, vs] = parse(v) || [], vsh = vc && await get('areas/' + vc.replace(/\d.*/, '')), d = vsh && vsh.d[vc];
    if (d && !d.x && (!vs || !d.s || d.s.includes(vs))) return fill(M.did_you_mean, { q: q.trim().toUpperCase(), v });
  }
  // NR2 3AC: a postcode's shape, but letters that never end one (postcode.rs LAST_LETTERS).
  const shaped = q.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (!code && /^[A-Z]{1,2}\d[A-Z0-9]?\s*\d[A-Z]{2}$/.test(shaped.toUpperCase())) {
    return fill(M.bad_letters, { q: shaped });
  }
  if (!code) return fill(M.not_postcode, { q, try: TRY });
  const mean = l => l.length ? fill(M.mean, { list: l.join(', ') }) : '';
  const like = (x, codes, n) => codes.map(c => [lev(x, c), c]).filter(y => y[0] <= n).sort(cmp).slice(0, 3).map(y => y[1]);
  const area = code.replace(/\d.*/, '');
  if (!sh) return fill(M.no_area, { area, mean: mean(like(area, (await get('index')).areas.map(a => a[0]), 1)) });
  const d = sh.d[code];
  if (d) return fill(M.no_sector, { code, s, list: [...d.s].map(x => code + ' ' + x).join(', ') });
  return fill(M.not_residential, { code, mean: mean(like(code, Object.keys(sh.d).filter(c => !sh.d[c].x), 2)) });
}

window.aidmapMore = { nearest, where, locate, wrong };
})();
