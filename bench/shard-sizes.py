#!/usr/bin/env python3
"""Print the sizes of a built site's search shards, raw and gzip (level 6, as hosts
serve them), per kind: count, median, largest, and the largest files.

    bench/shard-sizes.py /tmp/search-site
"""
import gzip
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
