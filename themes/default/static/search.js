// Postcode, place and word search over the shards in search/ (format: src/search/mod.rs).
// Mirrors src/search/query.rs step for step, so `aidmap find` gives the same answer.
// No framework, no third-party request; without JavaScript the form still goes to postcodes/.
(function () {
  'use strict';
  var script = document.currentScript;
  var form = document.querySelector('form.search');
  if (!script || !form || !window.fetch || !window.URL) return;
  var ROOT = new URL('./', script.src).href; // the site root, also under a sub-path
  var CHUNK = 100; // shards.rs GROUP_CHUNK
  var STOP = ' a an and any are as at be by for from i in is it its me my of on or our the their to we who with you your ';
  var TRY = 'Try your postcode (such as NR2 3AB) or its first half (NR2), your town or village, or what you need (shopping, prescriptions).';
  var OUT = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;
  var input = form.querySelector('input[name=q]');
  var out = document.getElementById('results');
  if (!out) {
    out = document.createElement('div');
    out.id = 'results';
    out.setAttribute('aria-live', 'polite');
    form.parentNode.insertBefore(out, form.nextSibling);
  }
  var cache = {};
  function get(path) {
    if (!cache[path]) {
      cache[path] = fetch(ROOT + 'search/' + path).then(function (r) {
        if (r.ok) return r.json();
        if (r.status === 404) return null;
        throw new Error('HTTP ' + r.status);
      });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }
  function fold(s) {
    return s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/['\u2019\u2018]/g, '')
      .replace(/[^a-z0-9]+/g, ' ').trim();
  }
  function words(s) {
    var out = [];
    fold(s).split(' ').forEach(function (w) {
      if (w.length >= 2 && STOP.indexOf(' ' + w + ' ') < 0 && out[out.length - 1] !== w) out.push(w);
    });
    return out;
  }
  function shardKey(f) {
    var k = f.replace(/[^a-z0-9]/g, '').slice(0, 2);
    return k.length === 2 ? k : null;
  }
  function rad(x) { return x * Math.PI / 180; }
  function miles(lat1, lon1, lat2, lon2) {
    var a = Math.pow(Math.sin(rad(lat2 - lat1) / 2), 2) +
      Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.pow(Math.sin(rad(lon2 - lon1) / 2), 2);
    return 2 * 6371.0088 * Math.asin(Math.sqrt(a)) / 1.609344;
  }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }
  function nothing(msg) { return { message: msg, places: [], hits: [], nothing: true }; }
  function group(r) {
    return { slug: r[0], name: r[1], phone: r[2], tel: r[3], email: r[4], web: r[5], status: r[6] };
  }
  function lev(a, b) {
    var p = [], i, j, c;
    for (j = 0; j <= b.length; j++) p[j] = j;
    for (i = 1; i <= a.length; i++) {
      c = [i];
      for (j = 1; j <= b.length; j++) c[j] = Math.min(p[j] + 1, c[j - 1] + 1, p[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      p = c;
    }
    return p[b.length];
  }

  // A postcode, district or sector: {d, s} or null if it isn't shaped like one.
  function parsePostcode(q) {
    var t = q.toUpperCase().replace(/[^A-Z0-9 ]/g, ' ').trim().split(/\s+/), m;
    if (t.length === 2 && OUT.test(t[0])) {
      if ((m = /^([0-9])([A-Z]{2})?$/.exec(t[1]))) return { d: t[0], s: +m[1] };
      return null;
    }
    var c = t.join('');
    if ((m = /^(.+)([0-9])[A-Z]{2}$/.exec(c)) && OUT.test(m[1])) return { d: m[1], s: +m[2] };
    if (OUT.test(c)) return { d: c, s: null, bare: true };
    if ((m = /^(.+)([0-9])$/.exec(c)) && OUT.test(m[1])) return { d: m[1], s: +m[2] };
    return null;
  }

  function districtAnswer(sh, code, sector) {
    var d = sh.d[code];
    if (d.x) return nothing(code + ' is a postcode for large organisations\u2019 mail: nobody lives there. Try the postcode where you live.');
    if (!d.s) sector = null;
    var what = sector === null ? code : code + ' ' + sector, hits = [];
    function push(i, covers) {
      var g = group(sh.g[i]);
      if (!hits.some(function (h) { return h.g.slug === g.slug; })) hits.push({ g: g, covers: covers });
    }
    if (sector !== null && d.p && d.p[sector]) d.p[sector].forEach(function (i) { push(i, what); });
    (d.w || []).forEach(function (i) { push(i, code); });
    if (sector === null && d.p) Object.keys(d.p).sort().forEach(function (s) {
      d.p[s].forEach(function (i) { push(i, code + ' ' + s); });
    });
    hits.sort(function (a, b) { return a.g.status - b.g.status; });
    if (hits.length) {
      return { message: plural(hits.length, 'group', 'groups') + (hits.length === 1 ? ' covers ' : ' cover ') + what + '.', places: [], hits: hits, district: code };
    }
    hits = (d.near || []).map(function (n) { return { g: group(sh.g[n[0]]), miles: n[1] }; });
    return {
      message: 'No group covers ' + what + (hits.length ? ' yet. The nearest:' : ' yet, and there is none nearby.'),
      places: [], hits: hits, district: code
    };
  }
  function areaOf(code) { return code.replace(/[0-9].*$/, ''); }
  function district(code, sector) {
    return get('areas/' + areaOf(code) + '.json').then(function (sh) { return districtAnswer(sh, code, sector); });
  }

  function postcode(q) {
    var pc = parsePostcode(q);
    if (!pc) return Promise.resolve(nothing('\u201c' + q + '\u201d is not a UK postcode. ' + TRY));
    var area = areaOf(pc.d);
    return get('areas/' + area + '.json').then(function (sh) {
      if (!sh) return nothing('There is no postcode area ' + area + '. ' + TRY);
      var d = sh.d[pc.d];
      if (!d && pc.bare && pc.d.length >= 3) {
        var head = pc.d.slice(0, -1), digit = pc.d.slice(-1), hd = sh.d[head];
        if (hd && hd.s && hd.s.indexOf(digit) >= 0) { pc = { d: head, s: +digit }; d = hd; }
      }
      if (!d) {
        var near = Object.keys(sh.d).filter(function (c) { return !sh.d[c].x; })
          .map(function (c) { return [lev(pc.d, c), c]; })
          .filter(function (x) { return x[0] <= 2; })
          .sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : 1); })
          .slice(0, 3).map(function (x) { return x[1]; });
        return nothing('No postcode district ' + pc.d + ' exists' + (near.length ? '; did you mean ' + near.join(', ') + '?' : '.'));
      }
      if (pc.s !== null && d.s && d.s.indexOf(String(pc.s)) < 0) {
        return nothing('No postcode sector ' + pc.d + ' ' + pc.s + ' exists; its district has ' +
          d.s.split('').map(function (s) { return pc.d + ' ' + s; }).join(', ') + '.');
      }
      return districtAnswer(sh, pc.d, pc.s);
    });
  }

  function places(f, key) {
    return get('places/' + key + '.json').then(function (list) {
      return (list || []).filter(function (p) { return p[0].indexOf(f) === 0; }).sort(function (a, b) {
        var x = [1 - a[3], a[0] !== f, a[0].length, a[0], a[2]], y = [1 - b[3], b[0] !== f, b[0].length, b[0], b[2]];
        for (var i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
        return 0;
      }).slice(0, 8).map(function (p) { return { name: p[1], district: p[2] }; });
    });
  }
  function wordHits(f) {
    var qw = words(f);
    if (!qw.length) return Promise.resolve([]);
    return Promise.all(qw.map(function (w) { return get('words/' + shardKey(w) + '.json'); })).then(function (shards) {
      var scores = {};
      qw.forEach(function (w, n) {
        var best = {}, idx = shards[n] || {};
        Object.keys(idx).forEach(function (k) {
          if (k.indexOf(w) !== 0 || (k !== w && w.length < 3)) return;
          idx[k].forEach(function (p) {
            var pts = p[1] * 2 - (k === w ? 0 : 1);
            best[p[0]] = Math.max(best[p[0]] || 0, pts);
          });
        });
        Object.keys(best).forEach(function (g) {
          var s = scores[g] || (scores[g] = [0, 0]);
          s[0] += best[g]; s[1]++;
        });
      });
      var ids = Object.keys(scores).filter(function (g) { return scores[g][1] === qw.length; }).map(Number);
      var chunks = {};
      ids.forEach(function (g) { chunks[Math.floor(g / CHUNK)] = 1; });
      return Promise.all(Object.keys(chunks).map(function (c) { return get('groups/' + c + '.json'); })).then(function () {
        return Promise.all(ids.map(function (g) { return get('groups/' + Math.floor(g / CHUNK) + '.json'); }));
      }).then(function (recs) {
        var hits = ids.map(function (g, i) { return { id: g, score: scores[g][0], g: group(recs[i][g % CHUNK]) }; });
        hits.sort(function (a, b) { return b.score - a.score || a.g.status - b.g.status || a.id - b.id; });
        return hits.slice(0, 10);
      });
    });
  }
  function wordsAndPlaces(q) {
    var f = fold(q), key = shardKey(f);
    if (!key) return Promise.resolve(nothing('Nothing found for \u201c' + q + '\u201d. ' + TRY));
    return Promise.all([places(f, key), wordHits(f)]).then(function (r) {
      var pl = r[0], wh = r[1];
      var a = pl.length ? district(pl[0].district, null).then(function (a) {
        a.message = pl[0].name + ' is in ' + pl[0].district + '. ' + a.message;
        return a;
      }) : Promise.resolve(wh.length ? {
        message: plural(wh.length, 'group', 'groups') + (wh.length === 1 ? ' matches' : ' match') + ' \u201c' + q + '\u201d.', hits: []
      } : nothing('Nothing found for \u201c' + q + '\u201d. ' + TRY));
      return a.then(function (a) {
        wh.forEach(function (w) {
          if (!a.hits.some(function (h) { return h.g.slug === w.g.slug; })) a.hits.push(w);
        });
        a.places = pl;
        return a;
      });
    });
  }
  function find(q) {
    q = q.trim();
    return /[0-9]/.test(q) ? postcode(q) : wordsAndPlaces(q);
  }

  function locate(lat, lon) {
    return get('index.json').then(function (ix) {
      var areas = ix.areas.map(function (a) { return [miles(lat, lon, a[2], a[3]), a[0]]; })
        .sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : 1); }).slice(0, 3);
      return Promise.all(areas.map(function (a) { return get('areas/' + a[1] + '.json'); }));
    }).then(function (shards) {
      var best = null;
      shards.forEach(function (sh) {
        Object.keys(sh.d).forEach(function (c) {
          var d = sh.d[c], m = miles(lat, lon, d.ll[0], d.ll[1]);
          if (!d.x && (!best || m < best.m || (m === best.m && c < best.c))) best = { m: m, c: c, sh: sh };
        });
      });
      if (!best) return nothing('No postcode district is near where you are.');
      var a = districtAnswer(best.sh, best.c, null);
      a.message = 'Your district is ' + best.c + ' (' + best.sh.d[best.c].n + '). ' + a.message;
      input.value = best.c;
      return a;
    });
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  // In the embeddable box (embed/, form has data-new-tab) links leave the frame for a new tab.
  var NEWTAB = form.hasAttribute('data-new-tab');
  function link(href, text) {
    var a = el('a', text);
    a.href = href;
    if (NEWTAB && /^https?:/.test(a.href)) { a.target = '_blank'; a.rel = 'noopener'; }
    return a;
  }
  function render(a) {
    out.textContent = '';
    out.appendChild(el('p', a.message, 'result-message'));
    if (a.places && a.places.length) {
      var ul = el('ul', '', 'result-places');
      a.places.forEach(function (p) {
        var li = el('li'), l = link(ROOT + 'postcodes/?q=' + encodeURIComponent(p.district), p.name + ' (' + p.district + ')');
        l.setAttribute('data-q', p.district);
        li.appendChild(l);
        ul.appendChild(li);
      });
      out.appendChild(ul);
    }
    if (!a.hits.length) return;
    var ol = el('ol', '', 'result-groups');
    a.hits.forEach(function (h) {
      var g = h.g, li = el('li', '', 'result status-' + ['active', 'paused', 'closed'][g.status]);
      li.appendChild(el('h3')).appendChild(link(ROOT + 'groups/' + g.slug + '/', g.name));
      if (g.phone && g.status < 2) li.appendChild(el('p', '', 'phone')).appendChild(link('tel:' + (g.tel || g.phone), g.phone));
      if (g.status) li.appendChild(el('p', g.status === 1 ? 'Paused: not taking requests just now' : 'Closed', 'status'));
      if (h.miles !== undefined) li.appendChild(el('p', h.miles.toFixed(1) + ' miles away', 'distance'));
      else if (h.covers) li.appendChild(el('p', 'Covers ' + h.covers));
      if (g.status < 2 && (g.email || g.web)) {
        var p = el('p', '', 'contacts');
        if (g.email) p.appendChild(link('mailto:' + g.email, g.email));
        if (g.email && g.web) p.appendChild(document.createTextNode(' \u00b7 '));
        if (g.web) p.appendChild(link(g.web, 'Website'));
        li.appendChild(p);
      }
      ol.appendChild(li);
    });
    out.appendChild(ol);
  }

  var seq = 0;
  function run(promise, typing) {
    var n = ++seq;
    out.setAttribute('aria-busy', 'true');
    promise.then(function (a) {
      if (n !== seq) return;
      if (typing && a.nothing) out.textContent = '';
      else render(a);
    }, function () {
      if (n === seq) render(nothing('The search could not load. Check your connection and try again, or choose your area below.'));
    }).then(function () { if (n === seq) out.removeAttribute('aria-busy'); });
  }
  function search(q, typing) {
    if (!typing && history.replaceState) history.replaceState(null, '', '?q=' + encodeURIComponent(q));
    run(find(q), typing);
  }
  var timer;
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    // A search still waiting from typing must not replace the one asked for.
    clearTimeout(timer);
    search(input.value, false);
  });
  input.addEventListener('input', function () {
    clearTimeout(timer);
    var q = input.value.trim();
    // Places and words as they type; a postcode only once it is whole.
    if (/[0-9]/.test(q) ? !parsePostcode(q) || !/[0-9][A-Za-z]{2}$/.test(q) : fold(q).length < 3) return;
    timer = setTimeout(function () { search(q, true); }, 250);
  });
  out.addEventListener('click', function (e) {
    var q = e.target.getAttribute && e.target.getAttribute('data-q');
    if (!q) return;
    e.preventDefault();
    input.value = q;
    search(q, false);
  });
  if (navigator.geolocation) {
    var b = el('button', 'Use my location', 'locate');
    b.type = 'button';
    b.addEventListener('click', function () {
      render(nothing('Finding where you are\u2026'));
      navigator.geolocation.getCurrentPosition(function (pos) {
        run(locate(pos.coords.latitude, pos.coords.longitude), false);
      }, function () {
        render(nothing('Your location is not available. Type your postcode instead.'));
      }, { timeout: 15000, maximumAge: 600000 });
    });
    form.appendChild(b);
  }
  var start = new URLSearchParams(location.search).get('q');
  if (start) {
    input.value = start;
    run(find(start), false);
  }
})();
