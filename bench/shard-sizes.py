#!/usr/bin/env python3
"""Print the sizes of a built site's search shards, raw and gzip (level 6, as hosts
serve them), per kind: count, median, largest, and the largest files.

    bench/shard-sizes.py /tmp/search-site
    bench/shard-sizes.py /tmp/search-site --location   # and the worst "use my location" lookups
"""
import glob
import gzip
import json
import re
import os
import statistics
import sys

site = sys.argv[1]
root = os.path.join(site, "search")
kinds = {}
for dirpath, _, files in os.walk(root):
    for name in files:
        path = os.path.join(dirpath, name)
        raw = open(path, "rb").read()
        kind = os.path.relpath(dirpath, root)
        kinds.setdefault(kind, []).append((len(gzip.compress(raw, 6)), len(raw), os.path.relpath(path, site)))
js = os.path.join(site, "search.js")
if os.path.exists(js):
    raw = open(js, "rb").read()
    print(f"search.js: {len(raw)} B raw, {len(gzip.compress(raw, 6))} B gzip")
print(f"{'kind':8} {'files':>5} {'median gz':>10} {'max gz':>8} {'max raw':>8}  largest")
for kind, rows in sorted(kinds.items()):
    rows.sort(reverse=True)
    med = statistics.median(r[0] for r in rows)
    print(f"{kind:8} {len(rows):5} {med:10.0f} {rows[0][0]:8} {rows[0][1]:8}  {', '.join(r[2] + ' ' + str(r[0]) for r in rows[:3])}")
grid = [r[2] for r in kinds.get("grid", [])]
if grid:
    # Format 3: a cell's own file, a split cell's quarters (<i>_<j>_<q>), and the blocks
    # holding the cells with no centroid of their own (b<I>_<J>).
    names = [os.path.basename(p)[:-5] for p in grid]
    blocks = sum(1 for n in names if n.startswith("b"))
    quarters = sum(1 for n in names if not n.startswith("b") and n.count("_") == 2)
    print(f"grid: {len(names) - blocks - quarters} cells, {quarters} quarters, {blocks} blocks")

if "--location" in sys.argv:
    # Issue #23: the worst "use my location" lookups (bench/README.md): search-more.js, the
    # cell read (with a split cell's marker, or the block file), and the largest area shard
    # that cell's centroids can name; and, for open sea, the ring search's first ring.
    g = os.path.join(site, "search/grid")
    gz = lambda b: len(gzip.compress(b, 6))
    more = gz(open(os.path.join(site, 'search-more.js'), 'rb').read())
    area = {os.path.basename(f)[:-5]: gz(open(f, 'rb').read()) for f in glob.glob(os.path.join(site, 'search/areas/*.json'))}
    files = {os.path.basename(f)[:-5]: open(f, 'rb').read() for f in glob.glob(g + '/*.json')}
    size = {k: gz(v) for k, v in files.items()}
    aof = lambda code: re.match(r'[A-Z]+', code).group(0)
    def shard_max(cell):
        return max([area.get(aof(c[0]), 0) for c in cell.get('s', [])] or [0])
    def covered(cell):
        tot = 0
        for p in cell.get('p', []):
            if len(p) == 1: return True
            for r in p[1:]:
                xs, ys, x, y = [], [], 0, 0
                for k in range(0, len(r), 2):
                    x += r[k]; y += r[k+1]; xs.append(x); ys.append(y)
                tot += abs(sum(xs[k]*ys[(k+1)%len(xs)] - xs[(k+1)%len(xs)]*ys[k] for k in range(len(xs)))) / 2
        return tot >= 0.999 * 1500 * 1000 * (0.25 if cell.get('_q') else 1)
    leaves = []  # (name, bytes read for the cell, cell json)
    for k, raw in files.items():
        if k.startswith('b'):
            for ck, cell in json.loads(raw).items():
                if cell.get('q'): continue
                leaves.append((ck, size[k], cell, ck.count('_') == 2))
        elif k.count('_') == 2:
            leaves.append((k, size[k] + size[k.rsplit('_', 1)[0]], json.loads(raw), True))
        else:
            c = json.loads(raw)
            if not c.get('q'): leaves.append((k, size[k], c, False))
    worst = sorted(((more + b + shard_max(c), n, b, shard_max(c)) for n, b, c, q in leaves), reverse=True)[:5]
    print('search-more.js', more)
    print('worst in-polygon lookup (more + cell + largest area shard its centroids name):', worst)
    def own_bytes(i, j):
        k = f'{i}_{j}'
        if k not in files: return 0
        c = json.loads(files[k])
        return size[k] + (sum(size.get(f'{k}_{q}', 0) for q in range(4)) if c.get('q') else 0)
    # Open sea: no cell at all, so the ring search reads the 8 around (at least) and the
    # block file the cell would be in.
    have = set()
    for n, b, c, q in leaves:
        have.add(tuple(map(int, n.split('_')[:2])))
    sea = []
    for (i, j) in list(have):
        for a in (-1, 0, 1):
            for d in (-1, 0, 1):
                ci, cj = i + a, j + d
                if (ci, cj) in have: continue
                blk = size.get(f'b{ci // 6}_{cj // 6}', 0)
                ring = [(own_bytes(ci+x, cj+y), f'{ci+x}_{cj+y}') for x in (-1, 0, 1) for y in (-1, 0, 1) if (x, y) != (0, 0)]
                cells_ = [json.loads(files[k]) for _, k in ring if k in files and not json.loads(files[k]).get('q')]
                sh = max([shard_max(c) for c in cells_] or [0])
                sea.append((more + blk + sum(r[0] for r in ring) + sh, f'{ci}_{cj}'))
    sea = sorted(set(sea), reverse=True)
    print('worst open-sea lookup (block + the 8 around + area shard; a lower bound):', sea[:5])
