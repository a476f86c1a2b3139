// Place names and words for search.js, loaded when first needed (format:
// src/search/mod.rs), step for step as src/search/query.rs words_and_places.
(() => {
const CHUNK = 100; // shards.rs GROUP_CHUNK

// The words a query word can match from shard `key`: where the shard is split
// ({'~': longer keys}), the longer key it starts, or, for a prefix, every one.
async function shard(get, w, key) {
  const s = Object.assign({}, await get('words/' + key)), subs = (s['~'] || []).filter(k => w.length > key.length ? w.startsWith(k) : w.length > 2);
  delete s['~'];
  for (const x of await Promise.all(subs.map(k => shard(get, w, k)))) Object.assign(s, x);
  return s;
}

// Groups matching every word (query.rs word_hits): how many, and the best 10. Only the
// best 10 groups are loaded. A word's postings are [[weight, id, gap, ..]] (shards.rs
// postings_json).
async function wordHits(f, { get, words, shardKey, M }) {
  const hit = (k, w) => k.startsWith(w) && (k === w || w.length > 2);
  // A word's groups and points (query.rs word_points).
  const points = async w => {
    const b = {}, idx = await shard(get, w, shardKey(w));
    for (const k in idx) if (hit(k, w)) {
      for (const [weight, ...gaps] of idx[k]) {
        let g = 0;
        for (const d of gaps) {
          g += d;
          b[g] = Math.max(b[g] || 0, weight * 2 - (k !== w));
        }
      }
    }
    return b;
  };
  // And, for a word of a kind of help in the page's language (M.hw, from its i18n file),
  // the groups the kind's English words find (query.rs word_hits_in).
  const found = async w => {
    const b = await points(w), hw = M.hw || {};
    for (const k in hw) if (hit(k, w)) for (const phrase of hw[k]) {
      const ps = await Promise.all(words(phrase).map(points));
      for (const g in ps[0]) if (ps.every(p => g in p)) b[g] = Math.max(b[g] || 0, ps.reduce((s, p) => s + p[g], 0));
    }
    return b;
  };
  const qw = words(f), best = await Promise.all(qw.map(found));
  const score = id => best.reduce((s, b) => s + b[id], 0);
  const ids = Object.keys(best[0] || {}).filter(g => best.every(b => g in b)).map(Number).sort((a, b) => score(b) - score(a) || a - b);
  // Ties are broken by status (active first), then id: where more than ten tie for the
  // tenth place, every group's status (search/status.json) rather than their chunks.
  const st = ids.length > 10 && score(ids[10]) === score(ids[9]) && await get('status') || '';
  ids.sort((a, b) => score(b) - score(a) || (+st[a] || 0) - (+st[b] || 0) || a - b);
  const top = ids.slice(0, 10);
  const chunks = await Promise.all(top.map(id => get('groups/' + Math.floor(id / CHUNK))));
  const hits = top.map((id, i) => ({ id, score: score(id), g: chunks[i][id % CHUNK] }));
  return [ids.length, hits.sort((a, b) => b.score - a.score || a.g[6] - b.g[6] || a.id - b.id).slice(0, 10)];
}

// A place name or words (query.rs words_and_places).
async function wordsAndPlaces(q, H) {
  const { get, fold, shardKey, nothing, districtAnswer, areaShard, add, TRY, M, fill, count } = H;
  const f = fold(q), key = shardKey(f), none = nothing(fill(M.nothing_found, { q, try: TRY }));
  if (key.length < 2) return none;
  const [{ p: list, c } = { p: [], c: {} }, [n, wh]] = await Promise.all([get('places/' + key).then(x => x || undefined), wordHits(f, H)]);
  // Exact names first, then in answer order (index.rs Place::rank).
  const found = list.filter(([k]) => k.startsWith(f)), places = [...found.filter(x => x[0] === f), ...found.filter(x => x[0] !== f)].slice(0, 8);
  const [k, name, district] = places[0] || [];
  const a = c[f] ? { message: count(M.which_place, c[f].length, { name }), hits: [], choose: c[f] }
    : k === f ? Object.assign(districtAnswer(await areaShard(district), district, '', fill(M.place_in, { name, district })), { near: name })
    : k ? { message: fill(M.places_choose, { q }), hits: [] }
    : n ? { message: count(M.words_match, n, { q }) + (n > 10 ? ' ' + M.words_best : ''), hits: [] } : none;
  wh.forEach(h => add(a.hits, h));
  a.places = places;
  return a;
}

// search.js render's lists of places: "Which St Ives?" ([name, district, around,
// groups]) and places starting the query ([key, name, district]), each a link that searches.
function lists(choose, places, { out, el, link, PAGE, count, M }) {
  for (const [list, cls] of [[choose, 'choose'], [places.map(p => [p[1], p[2]]), 'places']]) {
    const ul = list.length && el(out, 'ul', '', 'result-' + cls);
    for (const [name, d, around, n] of list) {
      const q = around ? d : name;
      link(el(ul, 'li'), PAGE + 'postcodes/?q=' + encodeURIComponent(q), `${name} (${d}${around ? `, ${around}): ${count(M.n_groups, n)}` : ')'}`).dataset.q = q;
    }
  }
}

window.aidmapWords = { wordsAndPlaces, lists };
})();
