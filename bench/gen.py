#!/usr/bin/env python3
"""Write a realistic synthetic directory of N groups and N/5 stories, for the benchmark.

    bench/gen.py /tmp/bench-5000 5000     # site.yaml, content/groups/*.yaml, content/stories/*.md

Not part of aidmap's user-facing commands: `bench/run` calls it for N = 500, 5,000 and
50,000. The content passes `aidmap check`:

- Groups sit in real residential postcode districts (data/geo/postcode-districts.csv),
  each district weighted by its number of residential sectors (postcode-sectors.csv), a
  proxy for population: dense in cities, sparse in the Highlands. Place names come from
  district-localities.csv.
- Half serve their district, a third a few of its sectors, the rest a few neighbouring
  districts of the same postcode area.
- Help keys are the built-in ones (src/content/help.rs); languages are English plus, in
  some groups, Welsh (more often in Welsh postcode areas), Somali, Polish or Urdu.
- Names are unique (the index is part of the name); phone numbers are from Ofcom's ranges
  reserved for drama and may repeat, as real groups sharing a council line do.
- Text lengths follow the example directory: a one-line summary, a description of one to
  three paragraphs on about 60% of groups, stories of 250 to 900 words.

Seeded: the same N gives the same directory (only `last_checked` follows today's date).
"""
import csv
import datetime
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GEO = os.path.join(HERE, "..", "data", "geo")
HELP = ["shopping", "prescriptions", "phone-calls", "befriending", "food", "meals",
        "dog-walking", "lifts", "digital-help", "errands", "posting-mail", "urgent-supplies",
        "translation", "advice", "emotional-support", "gardening"]
KINDS = ["Mutual Aid", "Good Neighbours", "Helpers", "Community Response", "Street Champions",
         "Covid Support", "Befrienders", "Volunteers"]
WELSH_AREAS = {"LL", "SA", "CF", "NP", "LD", "SY"}
WORDS = ("neighbours volunteers street road shopping prescriptions phone call food bank "
         "parcel delivery lockdown council helpers village town estate flats older people "
         "isolating shielding leaflet door WhatsApp group rota coordinator pharmacy surgery "
         "library church hall school meals kitchen garden walk dog lift appointment forms "
         "letters online tablet support week weekend morning evening ward parish community "
         "together kept going still needed asked answered thanked everyone every house").split()
WELSH = ("Croeso! Mae croeso i chi siarad Cymraeg neu Saesneg gyda ni. Rydym yn helpu "
         "cymdogion gyda siopa, presgripsiynau a galwad ffôn gyfeillgar.")


def sentence(rng, lo=8, hi=22):
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng, lo=2, hi=5):
    return " ".join(sentence(rng) for _ in range(rng.randint(lo, hi)))


def slugify(text):
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:70].rstrip("-")


def load_geo():
    with open(os.path.join(GEO, "postcode-districts.csv")) as f:
        districts = [r["outcode"] for r in csv.DictReader(f)
                     if r["large_user_only"] == "0" and r["source"] == "ons"]
    sectors = {}
    with open(os.path.join(GEO, "postcode-sectors.csv")) as f:
        for r in csv.DictReader(f):
            if r["large_user_only"] == "0":
                sectors.setdefault(r["sector"].split(" ")[0], []).append(r["sector"])
    places = {}
    with open(os.path.join(GEO, "district-localities.csv")) as f:
        for r in csv.DictReader(f):
            places.setdefault(r["outcode"], []).append(r["locality"])
    return districts, sectors, places


def area_of(district):
    """The postcode area: the leading letters (`PH44` -> `PH`, `B31` -> `B`)."""
    return re.match(r"[A-Z]+", district).group(0)


def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: bench/gen.py DIR [N]")
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    rng = random.Random(n)
    districts, sectors, places = load_geo()
    weights = [len(sectors.get(d, [])) or 1 for d in districts]
    by_area = {}
    for d in districts:
        by_area.setdefault(area_of(d), []).append(d)
    gdir = os.path.join(out, "content", "groups")
    sdir = os.path.join(out, "content", "stories")
    os.makedirs(gdir, exist_ok=True)
    os.makedirs(sdir, exist_ok=True)
    with open(os.path.join(out, "site.yaml"), "w") as f:
        f.write("title: Synthetic directory\ndescription: A benchmark directory.\n"
                "base_url: https://example.org/\nlanguage: en-GB\nlicence: CC BY 4.0\n")
    # Recently checked, as a kept directory is (older would only add staleness warnings).
    today = datetime.date.today()
    ranges = [("01632 96", 4), ("07700 900", 3), ("020 7946 0", 3)]
    picks = rng.choices(districts, weights=weights, k=n)
    slugs = []
    for i, d in enumerate(picks):
        place = rng.choice(places.get(d, [d]))
        name = f"{place} {rng.choice(KINDS)} {i + 1}"
        slug = slugify(name)
        slugs.append(slug)
        roll = rng.random()
        if roll < 0.5 or d not in sectors:
            areas = [d]
        elif roll < 0.8:
            areas = rng.sample(sectors[d], min(len(sectors[d]), rng.randint(1, 3)))
        else:
            same = by_area[area_of(d)]
            areas = sorted(set([d] + rng.sample(same, min(len(same), rng.randint(1, 4)))))
        prefix, digits = ranges[i % 3]
        phone = prefix + str(rng.randrange(10 ** digits)).zfill(digits)
        status = "active" if rng.random() < 0.9 else rng.choice(["paused", "closed"])
        help_ = sorted(rng.sample(HELP, rng.randint(2, 7)), key=HELP.index)
        langs = ["en"]
        welsh = area_of(d) in WELSH_AREAS
        if (welsh and rng.random() < 0.6) or rng.random() < 0.02:
            langs.append("cy")
        for code, p in (("so", 0.04), ("pl", 0.06), ("ur", 0.05)):
            if rng.random() < p:
                langs.append(code)
        lines = [
            f"name: {yaml_str(name)}",
            f"summary: {yaml_str(f'Neighbours in {place} helping with ' + help_[0].replace('-', ' ') + ' and ' + help_[1].replace('-', ' ') + '.')}",
            "areas: [" + ", ".join(yaml_str(a) for a in areas) + "]",
            f"help: [{', '.join(help_)}]",
            "contact:",
            f"  phone: \"{phone}\"",
            f"  email: group{i + 1}@example.org",
        ]
        if rng.random() < 0.7:
            lines.append(f"  website: https://example.org/g{i + 1}/")
        if rng.random() < 0.4:
            lines.append(f"  facebook: https://www.facebook.com/groups/example-{i + 1}")
        if rng.random() < 0.5:
            lines.append("  hours: Monday to Friday, 9am to 5pm")
        lines += [f"languages: [{', '.join(langs)}]", f"status: {status}",
                  f"last_checked: {today - datetime.timedelta(days=rng.randint(0, 150))}"]
        if rng.random() < 0.6:
            paras = [paragraph(rng) for _ in range(rng.randint(1, 3))]
            if "cy" in langs:
                paras.insert(0, WELSH)
            lines.append("description: |")
            for k, p in enumerate(paras):
                if k:
                    lines.append("")
                lines.append("  " + p)
        with open(os.path.join(gdir, f"{slug}.yaml"), "w") as f:
            f.write("\n".join(lines) + "\n")
    for j in range(n // 5):
        about = rng.sample(slugs, rng.randint(1, 2))
        title = f"Story {j + 1}: " + sentence(rng, 4, 9).rstrip(".")
        body = []
        for _ in range(rng.randint(3, 9)):
            if rng.random() < 0.2:
                body.append("## " + sentence(rng, 2, 5).rstrip("."))
            if rng.random() < 0.2:
                body.append("\n".join("- " + sentence(rng, 5, 12) for _ in range(rng.randint(2, 4))))
            body.append(paragraph(rng, 3, 6))
        with open(os.path.join(sdir, f"story-{j + 1:05d}.md"), "w") as f:
            f.write("---\n"
                    f"title: {yaml_str(title)}\n"
                    f"date: {rng.randint(2020, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
                    f"groups: [{', '.join(about)}]\n"
                    f"summary: {yaml_str(sentence(rng, 10, 20))}\n"
                    "---\n" + "\n\n".join(body) + "\n")
    print(f"wrote {n} groups and {n // 5} stories to {out}/content")


if __name__ == "__main__":
    main()
