//! Answering a resident's query from the [`SearchIndex`]: the logic `aidmap find` runs,
//! and the logic `search.js` mirrors step for step over the written shards.
//!
//! A query is read as, in order: a position (`52.08,-0.45`, from "use my location"), a
//! postcode if it has a digit, else a place name and words. Postcode answers list the
//! groups covering the sector, then the district; if there are none, the nearest groups.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::content::Status;
use crate::geo::{geography, PostcodeQuery};
use crate::search::index::{DistrictEntry, SearchIndex};
use crate::search::text;

/// Places listed for a place-name query.
pub const MAX_PLACES: usize = 8;
/// Groups listed for a words query.
pub const MAX_WORD_HITS: usize = 10;
/// At most this many letters O and I or digits 0 and 1 of a query are tried the other way.
pub const MAX_TYPO_PLACES: usize = 6;

/// What a query was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AnswerKind {
    /// A postcode, district or sector.
    Postcode,
    /// A place name (perhaps with groups matching it as words too).
    Place,
    /// Words matching groups' names, summaries or help.
    Words,
    /// A position from the browser.
    Location,
    /// Nothing found; the message says what to try.
    Nothing,
}

/// What the answer tells the resident: the `kind` of `aidmap find --json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Groups cover the postcode, sector or whole district asked about.
    Covered,
    /// Groups cover only some sectors of the district asked about: a full postcode tells.
    CoveredPart,
    /// No group covers it; the nearest within the site's distance are listed.
    Nearest,
    /// No group covers it or is near: the directory's other routes to help instead.
    NoneNear,
    /// A place name that names places far apart: the resident picks one.
    ChoosePlace,
    /// Groups matching words.
    Words,
    /// Nothing found; the message says what to try.
    Nothing,
}

/// A group in an answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Index into [`SearchIndex::groups`].
    pub group: u32,
    /// Distance in miles, for a nearest group.
    pub miles: Option<f64>,
    /// The district or sector it covers that the query asked about.
    pub covers: Option<String>,
}

/// A matching place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceHit {
    /// Name as written.
    pub name: String,
    /// Its district.
    pub district: String,
}

/// Where distances in an answer are measured from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryPoint {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// `sector` (its centroid), `district` (its centroid).
    pub from: &'static str,
    /// The sector or district code.
    pub code: String,
}

/// The answer to one query.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// What the query was read as.
    pub kind: AnswerKind,
    /// What the answer is.
    pub outcome: Outcome,
    /// One sentence for the resident.
    pub message: String,
    /// The district answered for, if any.
    pub district: Option<String>,
    /// Where the miles are measured from.
    pub point: Option<QueryPoint>,
    /// Matching places, best first.
    pub places: Vec<PlaceHit>,
    /// Groups, best first.
    pub hits: Vec<Hit>,
    /// For [`Outcome::ChoosePlace`]: the places to choose from.
    pub candidates: Vec<crate::search::index::Choice>,
    /// For [`Outcome::NoneNear`]: the directory's other routes to help there.
    pub other_help: Vec<crate::config::OtherHelp>,
}

impl Answer {
    fn nothing(message: String) -> Answer {
        Answer {
            kind: AnswerKind::Nothing,
            outcome: Outcome::Nothing,
            message,
            district: None,
            point: None,
            places: Vec::new(),
            hits: Vec::new(),
            candidates: Vec::new(),
            other_help: Vec::new(),
        }
    }
}

/// At most this many places are named for a covered part of a district.
pub const MAX_PART_PLACES: usize = 3;

/// A covered part of a district as answers name it: the sector and, where the data can
/// tell, the places in it (`MK45 3 (Wilstead, Cotton End, Houghton Conquest)`). The
/// places are the ones [`crate::geo::Geography::places_in_sector`] gives, nearest the
/// sector's middle first; the browser gets the same text in the area shard (`pn`).
pub fn part_label(sector: &str) -> String {
    let places = part_places(sector);
    if places.is_empty() {
        sector.to_string()
    } else {
        format!("{sector} ({places})")
    }
}

/// The places named for a covered part, comma-separated (empty when none are known).
pub fn part_places(sector: &str) -> String {
    let places = geography().places_in_sector(sector);
    places[..places.len().min(MAX_PART_PLACES)].join(", ")
}

/// How a sector is said to a resident who did not type its code: `postcodes starting
/// NR2 3`.
pub fn sector_words(sector: &str) -> String {
    format!("postcodes starting {sector}")
}

/// What a district's answer says, the one wording for `aidmap find`, the browser and the
/// district pages: `whole` groups cover all of `what`, `part` more cover the sectors
/// `parts` of it (only when a whole district is asked about), `near` are listed as
/// nearest within `within` miles. In English; see [`district_message_in`].
pub fn district_message(
    what: &str,
    whole: usize,
    part: usize,
    parts: &[String],
    near: usize,
    within: f64,
) -> (Outcome, String) {
    district_message_in(
        crate::i18n::english(),
        what,
        whole,
        part,
        parts,
        near,
        within,
    )
}

/// [`district_message`] in `lang`, from the same `answer_*` words `search.js` uses.
pub fn district_message_in(
    lang: &crate::i18n::Lang,
    what: &str,
    whole: usize,
    part: usize,
    parts: &[String],
    near: usize,
    within: f64,
) -> (Outcome, String) {
    let parts = lang.and_list(parts);
    if whole > 0 {
        let mut m = lang.count("answer_cover", whole, &[("what", what)]);
        if part > 0 {
            m.push(' ');
            m.push_str(&lang.count("answer_more_part", part, &[("parts", &parts)]));
        }
        (Outcome::Covered, m)
    } else if part > 0 {
        (
            Outcome::CoveredPart,
            lang.count("answer_part", part, &[("what", what), ("parts", &parts)]),
        )
    } else if near > 0 {
        (
            Outcome::Nearest,
            lang.fill("answer_nearest", &[("what", what)]),
        )
    } else {
        (
            Outcome::NoneNear,
            lang.fill(
                "answer_none_near",
                &[("what", what), ("miles", &within.to_string())],
            ),
        )
    }
}

/// Miles as every answer shows them: to a tenth (`3.8`, `12.0`).
pub fn format_miles(miles: f64) -> String {
    format!("{miles:.1}")
}

/// What a words answer says: how many groups match, all of them, and when only the
/// best are listed, so ("12 groups match" when 12 do, not the 10 shown).
pub fn words_message(query: &str, total: usize) -> String {
    let mut m = format!(
        "{} {} \u{201c}{query}\u{201d}.",
        plural(total, "group", "groups"),
        if total == 1 { "matches" } else { "match" },
    );
    if total > MAX_WORD_HITS {
        m.push_str(&format!(
            " The best {MAX_WORD_HITS} are below: add your postcode or town to see the ones near you."
        ));
    }
    m
}

/// What to say when nothing matched.
pub fn nothing_message(query: &str) -> String {
    format!(
        "Nothing found for \u{201c}{}\u{201d}. Try your postcode (such as NR2 3AB) or its first half (NR2), your town or village, or what you need (shopping, prescriptions).",
        query.trim()
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Sorts active groups before paused ones (closed last), keeping the order otherwise.
fn status_rank(s: Status) -> u8 {
    match s {
        Status::Active => 0,
        Status::Paused => 1,
        Status::Closed => 2,
    }
}

impl SearchIndex {
    /// Answers what a resident typed.
    pub fn find(&self, query: &str) -> Answer {
        let q = query.trim();
        if let Some((lat, lon)) = parse_position(q) {
            return self.locate(lat, lon);
        }
        if q.chars().any(|c| c.is_ascii_digit()) {
            return self.postcode(q);
        }
        self.words_and_places(q)
    }

    /// Answers for a postcode, district or sector.
    fn postcode(&self, q: &str) -> Answer {
        let lookup = match geography().lookup(q) {
            Ok(l) => l,
            Err(e) => {
                if let Some(fixed) = self.typo_fix(q) {
                    return Answer::nothing(format!(
                        "No postcode {} exists. Did you mean {fixed}?",
                        q.to_uppercase()
                    ));
                }
                let msg = match &e {
                    // "MA1": the area itself does not exist.
                    crate::geo::PostcodeError::UnknownDistrict {
                        district,
                        suggestions,
                    } if !district.contains(|c: char| c.is_ascii_digit()) => {
                        let mean = if suggestions.is_empty() {
                            String::new()
                        } else {
                            format!("; did you mean {}?", suggestions.join(", "))
                        };
                        format!("There is no postcode area {district}{mean}")
                    }
                    // Not in the tables: no such district, or one for organisations' mail
                    // only (DN55), which the open data leaves out. Both are true of it.
                    crate::geo::PostcodeError::UnknownDistrict {
                        district,
                        suggestions,
                    } => {
                        let mean = if suggestions.is_empty() {
                            String::new()
                        } else {
                            format!("; did you mean {}?", suggestions.join(", "))
                        };
                        format!("{district} is not a postcode district where people live{mean}")
                    }
                    e => e.to_string(),
                };
                let mut chars = msg.chars();
                let first = chars.next().map(|c| c.to_uppercase().to_string());
                let stop = if msg.ends_with(['?', '.']) { "" } else { "." };
                return Answer::nothing(format!(
                    "{}{}{stop}",
                    first.unwrap_or_default(),
                    chars.as_str()
                ));
            }
        };
        let Some(district) = lookup.district else {
            let example = self
                .districts
                .values()
                .find(|d| crate::content::areas::area_of(&d.code) == lookup.area.code)
                .map_or_else(String::new, |d| format!(", such as {}", d.code));
            return Answer::nothing(format!(
                "{} is a postcode area ({}). Type your whole postcode, or its first half{example}.",
                lookup.area.code, lookup.area.name
            ));
        };
        let sector = match (&lookup.sector, &lookup.query) {
            (
                Some(_),
                PostcodeQuery::Sector { sector, .. } | PostcodeQuery::Unit { sector, .. },
            ) => Some(*sector),
            _ => None,
        };
        // A full postcode is answered as the resident typed it, never by a sector code
        // they did not type (every coverage is of whole sectors, so it is as true).
        let said = match &lookup.query {
            PostcodeQuery::Unit {
                district,
                sector,
                unit,
            } => Some(format!("{district} {sector}{unit}")),
            _ => None,
        };
        let mut answer = self.district_answer(&district.code, sector, said.as_deref());
        answer.kind = AnswerKind::Postcode;
        answer
    }

    /// What the resident meant if they typed the letter O or I for a zero or a one, or the
    /// other way round: the first such change, in order, that is a postcode where people
    /// live (`search-more.js` tries the same changes in the same order).
    pub fn typo_fix(&self, q: &str) -> Option<String> {
        let typed: Vec<char> = q.trim().to_uppercase().chars().collect();
        let at: Vec<usize> = (0..typed.len())
            .filter(|&i| matches!(typed[i], 'O' | 'I' | '0' | '1'))
            .take(MAX_TYPO_PLACES)
            .collect();
        for mask in 1u32..(1 << at.len()) {
            let mut v = typed.clone();
            for (bit, &i) in at.iter().enumerate() {
                if mask & (1 << bit) != 0 {
                    v[i] = match v[i] {
                        'O' => '0',
                        '0' => 'O',
                        'I' => '1',
                        _ => 'I',
                    };
                }
            }
            let v: String = v.into_iter().collect();
            let Ok(l) = geography().lookup(&v) else {
                continue;
            };
            if l.district.is_some_and(|d| {
                self.districts
                    .get(&d.code)
                    .is_some_and(|d| !d.large_user_only)
            }) {
                return Some(v);
            }
        }
        None
    }

    /// Who covers a district (or one of its sectors), else who is nearest: measured from
    /// the sector's centroid when a sector is given, else from the district's. `said` names
    /// the sector in the message instead of its code (a full postcode as typed, or
    /// [`sector_words`] for a position).
    pub fn district_answer(&self, code: &str, sector: Option<u8>, said: Option<&str>) -> Answer {
        let Some(d) = self.districts.get(code) else {
            return Answer::nothing(format!("No postcode district {code} exists."));
        };
        if d.large_user_only {
            return Answer::nothing(format!(
                "{code} is a postcode for large organisations\u{2019} mail: nobody lives there. Try the postcode where you live."
            ));
        }
        // Where there is no sector data (Northern Ireland, islands) the district is the answer.
        let sector = sector.filter(|s| d.sectors.contains(s));
        let sector_code = sector.map(|s| format!("{code} {s}"));
        let what = match (&sector_code, said) {
            (Some(_), Some(said)) => said.to_string(),
            (Some(s), None) => s.clone(),
            (None, _) => code.to_string(),
        };
        let mut hits = self.covering(d, sector);
        // For a sector every covering group covers all of it; for a district, those listed
        // as covering the district itself.
        let whole = hits
            .iter()
            .filter(|h| sector.is_some() || h.covers.as_deref() == Some(code))
            .count();
        let parts: Vec<String> = if sector.is_none() {
            d.by_sector
                .keys()
                .map(|s| part_label(&format!("{code} {s}")))
                .collect()
        } else {
            Vec::new()
        };
        let part = hits.len() - whole;
        let near_list = match sector {
            Some(s) => d.sector_near.get(&s).map_or(&[][..], Vec::as_slice),
            None => &d.nearest[..],
        };
        let near = if hits.is_empty() { near_list.len() } else { 0 };
        let (outcome, message) = district_message(&what, whole, part, &parts, near, self.within);
        if hits.is_empty() {
            hits = near_list
                .iter()
                .map(|&(group, miles)| Hit {
                    group,
                    miles: Some(miles),
                    covers: None,
                })
                .collect();
        }
        let geo = geography();
        let point = match sector_code.as_deref().and_then(|c| geo.sector(c)) {
            Some(s) => QueryPoint {
                lat: s.lat,
                lon: s.lon,
                from: "sector",
                code: s.code.clone(),
            },
            None => QueryPoint {
                lat: d.lat,
                lon: d.lon,
                from: "district",
                code: code.to_string(),
            },
        };
        let area = crate::content::areas::area_of(code);
        Answer {
            kind: AnswerKind::Postcode,
            outcome,
            message,
            district: Some(code.to_string()),
            point: Some(point),
            places: Vec::new(),
            hits,
            candidates: Vec::new(),
            other_help: if outcome == Outcome::NoneNear {
                self.other_help
                    .iter()
                    .filter(|o| o.applies_in(area))
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    /// Groups covering the sector, then the whole district; for a district query, the
    /// whole district's, then those covering part of it. Active before paused.
    fn covering(&self, d: &DistrictEntry, sector: Option<u8>) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        let mut push = |group: u32, covers: String| {
            if !hits.iter().any(|h| h.group == group) {
                hits.push(Hit {
                    group,
                    miles: None,
                    covers: Some(covers),
                });
            }
        };
        if let Some(s) = sector {
            for &g in d.by_sector.get(&s).into_iter().flatten() {
                push(g, format!("{} {s}", d.code));
            }
        }
        for &g in &d.whole {
            push(g, d.code.clone());
        }
        if sector.is_none() {
            for (s, groups) in &d.by_sector {
                for &g in groups {
                    push(g, format!("{} {s}", d.code));
                }
            }
        }
        // Whole-district groups before part-district ones for a district query.
        let code = d.code.as_str();
        hits.sort_by_key(|h| {
            (
                sector.is_none() && h.covers.as_deref() != Some(code),
                status_rank(self.groups[h.group as usize].status),
            )
        });
        hits
    }

    /// Every place a position can be answered for: each residential sector's centroid,
    /// and each residential district's where there is no sector data, as (code, lat, lon)
    /// ([`crate::geo::cells::located`]).
    pub fn located(&self) -> impl Iterator<Item = (&str, f64, f64)> {
        crate::geo::cells::located()
            .iter()
            .map(|l| (l.code.as_str(), l.lat, l.lon))
    }

    /// The residential sector (or, where there is no sector data, district) that answers
    /// "use my location" at a position ([`crate::geo::cells::locate`]: the sector whose
    /// centroid is within about 100 m, else the district polygon holding the position and
    /// its nearest sector, else the nearest sector); the browser finds the same through
    /// the grid shards.
    pub fn nearest_sector(&self, lat: f64, lon: f64) -> Option<(String, Option<u8>)> {
        let code = &crate::geo::cells::locate(lat, lon)?.code;
        Some(match code.split_once(' ') {
            Some((d, s)) => (d.to_string(), s.parse().ok()),
            None => (code.to_string(), None),
        })
    }

    /// The answer for a position: that of its sector ([`SearchIndex::nearest_sector`]).
    fn locate(&self, lat: f64, lon: f64) -> Answer {
        let Some((code, sector)) = self.nearest_sector(lat, lon) else {
            return Answer::nothing("No postcode district is near where you are.".into());
        };
        let words = sector.map(|s| sector_words(&format!("{code} {s}")));
        let mut answer = self.district_answer(&code, sector, words.as_deref());
        answer.kind = AnswerKind::Location;
        let name = self.districts.get(&code).map_or("", |d| d.name.as_str());
        answer.message = format!(
            "Your postcode district is {code} ({name}). {}",
            answer.message
        );
        answer
    }

    /// Places starting with the query, then groups matching its words. A name given to
    /// places far apart asks which one is meant instead of picking one.
    fn words_and_places(&self, q: &str) -> Answer {
        let folded = text::fold(q);
        if text::shard_key(&folded).is_none() {
            return Answer::nothing(nothing_message(q));
        }
        let places = self.places_matching(&folded);
        let (word_total, words) = self.word_hits(&folded);
        let mut answer = if let Some(choices) = self.choices.get(&folded) {
            let name = places.first().map_or(q, |p| p.name.as_str());
            Answer {
                kind: AnswerKind::Place,
                outcome: Outcome::ChoosePlace,
                message: format!(
                    "Which {name}? There are places of that name in {} parts of the country:",
                    choices.len()
                ),
                district: None,
                point: None,
                places: Vec::new(),
                hits: Vec::new(),
                candidates: choices.clone(),
                other_help: Vec::new(),
            }
        } else {
            // Only a place of exactly that name answers; a name the query only starts
            // ("Wils": Wilsden or Wilstead?) is a list to choose from, never an answer.
            let exact = self
                .places
                .binary_search_by(|p| p.key.as_str().cmp(&folded))
                .is_ok();
            match places.first() {
                Some(best) if exact => {
                    let mut a = self.district_answer(&best.district, None, None);
                    a.message = format!("{} is in {}. {}", best.name, best.district, a.message);
                    a.kind = AnswerKind::Place;
                    a
                }
                Some(_) => Answer {
                    kind: AnswerKind::Place,
                    outcome: Outcome::ChoosePlace,
                    ..Answer::nothing(format!(
                        "Places starting \u{201c}{q}\u{201d}: choose yours."
                    ))
                },
                None if words.is_empty() => return Answer::nothing(nothing_message(q)),
                None => Answer {
                    kind: AnswerKind::Words,
                    outcome: Outcome::Words,
                    ..Answer::nothing(words_message(q, word_total))
                },
            }
        };
        for w in words {
            if !answer.hits.iter().any(|h| h.group == w.group) {
                answer.hits.push(w);
            }
        }
        answer.places = places;
        answer
    }

    /// Places whose folded name starts with `folded`: those named exactly `folded` first,
    /// then in [`Place::rank`] order (those with a group first, then shorter names).
    ///
    /// [`Place::rank`]: crate::search::index::Place::rank
    pub fn places_matching(&self, folded: &str) -> Vec<PlaceHit> {
        let start = self.places.partition_point(|p| p.key.as_str() < folded);
        let mut found: Vec<_> = self.places[start..]
            .iter()
            .take_while(|p| p.key.starts_with(folded))
            .collect();
        found.sort_by(|a, b| (a.key != folded, a.rank()).cmp(&(b.key != folded, b.rank())));
        found
            .into_iter()
            .take(MAX_PLACES)
            .map(|p| PlaceHit {
                name: p.name.clone(),
                district: p.district.clone(),
            })
            .collect()
    }

    /// Groups matching every word of the query (a word of three letters or more also
    /// matches longer words it starts): how many match, and the best [`MAX_WORD_HITS`],
    /// best score first.
    pub fn word_hits(&self, folded: &str) -> (usize, Vec<Hit>) {
        self.word_hits_in(folded, &BTreeMap::new())
    }

    /// [`word_hits`](Self::word_hits) in a language whose words for the kinds of help are
    /// `help_words` ([`text::help_words`]): a query word that is (or, from three letters,
    /// starts) one of them also finds the groups the kind's English words find, as
    /// `search-words.js` does with the page's `M.hw`.
    pub fn word_hits_in(
        &self,
        folded: &str,
        help_words: &BTreeMap<String, Vec<String>>,
    ) -> (usize, Vec<Hit>) {
        let mut qwords = text::words(folded);
        qwords.dedup();
        if qwords.is_empty() {
            return (0, Vec::new());
        }
        let mut scores: HashMap<u32, (u32, usize)> = HashMap::new();
        for qw in &qwords {
            let mut best = self.word_points(qw);
            for (_, phrases) in help_words
                .range(qw.clone()..)
                .take_while(|(w, _)| w.starts_with(qw.as_str()))
                .filter(|(w, _)| *w == qw || qw.len() >= 3)
            {
                for phrase in phrases {
                    let parts: Vec<HashMap<u32, u32>> = text::words(phrase)
                        .iter()
                        .map(|w| self.word_points(w))
                        .collect();
                    let Some((first, rest)) = parts.split_first() else {
                        continue;
                    };
                    for (&g, &p) in first {
                        let more: Option<u32> = rest.iter().map(|m| m.get(&g)).sum();
                        if let Some(more) = more {
                            let slot = best.entry(g).or_insert(0);
                            *slot = (*slot).max(p + more);
                        }
                    }
                }
            }
            for (g, points) in best {
                let s = scores.entry(g).or_insert((0, 0));
                s.0 += points;
                s.1 += 1;
            }
        }
        let mut found: Vec<(u32, u32)> = scores
            .into_iter()
            .filter(|(_, (_, n))| *n == qwords.len())
            .map(|(g, (score, _))| (g, score))
            .collect();
        found.sort_by(|a, b| {
            let (ga, gb) = (&self.groups[a.0 as usize], &self.groups[b.0 as usize]);
            b.1.cmp(&a.1)
                .then(status_rank(ga.status).cmp(&status_rank(gb.status)))
                .then(a.0.cmp(&b.0))
        });
        let total = found.len();
        let hits = found
            .into_iter()
            .take(MAX_WORD_HITS)
            .map(|(group, _)| Hit {
                group,
                miles: None,
                covers: None,
            })
            .collect();
        (total, hits)
    }

    /// The groups one query word finds, with its points: twice the word's weight in the
    /// group, one less when the query only starts the word (three letters or more).
    fn word_points(&self, qw: &str) -> HashMap<u32, u32> {
        let mut best: HashMap<u32, u32> = HashMap::new();
        for (w, postings) in self
            .words
            .range(qw.to_string()..)
            .take_while(|(w, _)| w.starts_with(qw))
        {
            let exact = w == qw;
            if !exact && qw.len() < 3 {
                continue;
            }
            for &(g, weight) in postings {
                let points = u32::from(weight) * 2 - u32::from(!exact);
                let slot = best.entry(g).or_insert(0);
                *slot = (*slot).max(points);
            }
        }
        best
    }
}

/// Reads `52.08,-0.45` (or with a space) as a latitude and longitude inside the UK's box.
pub fn parse_position(q: &str) -> Option<(f64, f64)> {
    let (a, b) = q.split_once([',', ' '])?;
    let (lat, lon): (f64, f64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    ((49.0..=61.5).contains(&lat) && (-9.0..=2.5).contains(&lon)).then_some((lat, lon))
}

/// The answer as one JSON document, with each group's record resolved.
pub fn answer_json(index: &SearchIndex, answer: &Answer) -> serde_json::Value {
    let groups: Vec<serde_json::Value> = answer
        .hits
        .iter()
        .map(|h| {
            let g = &index.groups[h.group as usize];
            serde_json::json!({
                "name": g.name,
                "url": format!("groups/{}/", g.slug),
                "phone": g.phone,
                "email": g.email,
                "website": g.website,
                "status": g.status,
                "miles": h.miles,
                "covers": h.covers,
            })
        })
        .collect();
    serde_json::json!({
        "kind": answer.outcome,
        "read_as": answer.kind,
        "message": answer.message,
        "district": answer.district,
        "point": answer.point,
        "places": answer.places,
        "groups": groups,
        "candidates": answer.candidates,
        "other_help": answer.other_help,
        "within_miles": index.within,
    })
}

/// The answer as lines for a person on the phone: the message, the places, then one
/// group a line: name, phone, and what it covers or how far it is; then the places to
/// choose from or the other routes to help.
pub fn answer_text(index: &SearchIndex, answer: &Answer) -> String {
    let mut out = format!("{}\n", answer.message);
    for c in &answer.candidates {
        out.push_str(&format!(
            "choose: {} ({}, {})\t{}\n",
            c.name,
            c.district,
            c.around,
            plural(c.groups, "group", "groups")
        ));
    }
    for p in &answer.places {
        out.push_str(&format!("place: {} ({})\n", p.name, p.district));
    }
    for h in &answer.hits {
        let g = &index.groups[h.group as usize];
        let where_ = match (&h.covers, h.miles) {
            (_, Some(m)) => format!("{} miles", format_miles(m)),
            (Some(c), None) if c.contains(' ') => format!("covers {}", sector_words(c)),
            (Some(c), None) => format!("covers {c}"),
            (None, None) => String::new(),
        };
        let status = match g.status {
            Status::Active => "",
            Status::Paused => "  (paused)",
            Status::Closed => "  (closed)",
        };
        // Tab-separated for scripts, with no empty field at the end of a line.
        let mut line = format!("{}\t{}", g.name, g.phone.as_deref().unwrap_or("-"));
        if !where_.is_empty() {
            line.push('\t');
            line.push_str(&where_);
        }
        out.push_str(&format!("{line}{status}\n"));
    }
    for o in &answer.other_help {
        out.push_str(&format!(
            "other help: {}\t{}\t{}\n",
            o.name, o.phone, o.what
        ));
    }
    if answer.outcome == Outcome::NoneNear {
        out.push_str("start a group: see the directory's about page (about/#start)\n");
    }
    out
}
