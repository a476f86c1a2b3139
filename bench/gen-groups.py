#!/usr/bin/env python3
"""Write a synthetic directory of N groups (default 5,000) spread over real postcode
districts, for measuring the search index at scale.

    bench/gen-groups.py /tmp/big 5000          # writes /tmp/big/site.yaml, content/groups/*.yaml
    aidmap build --root /tmp/big --out /tmp/big-site
    bench/shard-sizes.py /tmp/big-site         # sizes of the search shards, raw and gzip

Districts come from data/geo/postcode-districts.csv (residential ones only), sectors
from postcode-sectors.csv, names from district-localities.csv. Seeded: the same N gives
the same directory. Phone numbers are from Ofcom's ranges reserved for drama.
"""
import csv
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GEO = os.path.join(HERE, "..", "data", "geo")
HELP = ["shopping", "prescriptions", "phone-calls", "befriending", "food", "meals",
        "dog-walking", "lifts", "digital-help", "errands", "posting-mail", "urgent-supplies",
        "translation", "advice", "emotional-support", "gardening"]
KINDS = ["Mutual Aid", "Good Neighbours", "Helpers", "Community Response", "Street Champions",
         "Covid Support", "Befrienders", "Volunteers"]


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    rng = random.Random(n)
    with open(os.path.join(GEO, "postcode-districts.csv")) as f:
        districts = [r["outcode"] for r in csv.DictReader(f)
                     if r["large_user_only"] == "0" and r["source"] == "ons"]
    sectors = {}
    with open(os.path.join(GEO, "postcode-sectors.csv")) as f:
        for r in csv.DictReader(f):
            if r["large_user_only"] == "0":
                d = r["sector"].split(" ")[0]
                sectors.setdefault(d, []).append(r["sector"])
    places = {}
    with open(os.path.join(GEO, "district-localities.csv")) as f:
        for r in csv.DictReader(f):
            places.setdefault(r["outcode"], []).append(r["locality"])
    gdir = os.path.join(out, "content", "groups")
    os.makedirs(gdir, exist_ok=True)
    with open(os.path.join(out, "site.yaml"), "w") as f:
        f.write("title: Synthetic directory\nbase_url: https://example.org/\nlanguage: en-GB\n"
                "licence: CC BY 4.0\n")
    ranges = [("01632 96", 4), ("07700 900", 3), ("020 7946 0", 3)]
    for i in range(n):
        d = rng.choice(districts)
        place = rng.choice(places.get(d, [d]))
        name = f"{place} {rng.choice(KINDS)} {i + 1}"
        roll = rng.random()
        if roll < 0.5 or d not in sectors:
            areas = [d]
        elif roll < 0.8:
            areas = rng.sample(sectors[d], min(len(sectors[d]), rng.randint(1, 3)))
        else:
            # A wider group: its district and a few others in the same area.
            area = d.rstrip("0123456789ABCDEFGHJKPSTUW")
            same = [x for x in districts if x.rstrip("0123456789ABCDEFGHJKPSTUW") == area]
            areas = sorted(set([d] + rng.sample(same, min(len(same), rng.randint(1, 4)))))
        prefix, digits = ranges[i % 3]
        phone = prefix + str(rng.randrange(10 ** digits)).zfill(digits)
        status = "active" if rng.random() < 0.9 else rng.choice(["paused", "closed"])
        help_ = rng.sample(HELP, rng.randint(2, 6))
        quoted = ", ".join(f'"{a}"' for a in areas)
        with open(os.path.join(gdir, f"group-{i + 1:05d}.yaml"), "w") as f:
            f.write(f"name: {name}\n"
                    f"summary: Neighbours in {place} helping with {help_[0].replace('-', ' ')} and {help_[1].replace('-', ' ')}.\n"
                    f"areas: [{quoted}]\n"
                    f"help: [{', '.join(help_)}]\n"
                    f"contact:\n  phone: \"{phone}\"\n  email: group{i + 1}@example.org\n"
                    f"  website: https://example.org/g{i + 1}/\n"
                    f"status: {status}\nlast_checked: 2026-09-01\n")
    print(f"wrote {n} groups to {gdir}")


if __name__ == "__main__":
    main()
