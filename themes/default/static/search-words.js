// Place names and words for search.js, loaded when first needed (format:
// src/search/mod.rs), step for step as src/search/query.rs words_and_places.
(() => {
const CHUNK = 100; // shards.rs GROUP_CHUNK

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

window.aidmapWords = { wordsAndPlaces };
})();
