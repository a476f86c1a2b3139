//! Likely duplicates inside one imported file: the same name near each other (the rule
//! `aidmap check` uses, `content::namesakes::same_group`) or the same link near each
//! other. Each set of duplicates becomes one record, the first in the file, with the
//! others' areas, links and contact routes added to it.
//!
//! The same link far apart is not a duplicate: in the 2020 UK list one Facebook group
//! (the national organisers') is the link of 17 groups from Kirkliston to New Haw.
//! Those are kept apart, with a note for the maintainer on each. Only when just two
//! records give a link, with alike names (`namesakes::names_alike`: "Totnes Help Hub"
//! and "Totnes Help Hub (Constituency)"), are they one group however far apart their
//! points are (a county-wide group placed at two towns).

use std::collections::HashMap;

use super::place::link_key;
use crate::content::{name_key, namesakes, Group};
use crate::intake::record::Record;

/// A record ready to write: checked, with where it came from.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Where it is in the source ("line 12").
    pub at: String,
    /// The record to write.
    pub record: Record,
    /// The same record, checked (as `Group::parse` reads it back).
    pub group: Group,
    /// The listing address the source gives (aidmap's own exports).
    pub slug: Option<String>,
    /// What was left out or filled in, for the maintainer.
    pub notes: Vec<String>,
}

/// A record merged into another.
#[derive(Debug, Clone)]
pub struct Merge {
    /// Where the merged record is in the source.
    pub at: String,
    /// Its name.
    pub name: String,
    /// The index (in the kept list) of the record it went into.
    pub into: usize,
    /// Why they are one group.
    pub why: String,
}

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The links of a record, compared as [`link_key`]s.
fn links(r: &Record) -> Vec<String> {
    let c = &r.contact;
    [&c.website, &c.facebook, &c.whatsapp]
        .into_iter()
        .flatten()
        .map(|l| link_key(l))
        .collect()
}

/// Merges the likely duplicates among `candidates` (in file order); `recheck` reads a
/// combined record back as a group (`None` when it no longer checks, and then the first
/// record is kept as it was). Returns the records to write and every merge.
pub fn merge(
    candidates: Vec<Candidate>,
    recheck: impl Fn(&Record) -> Option<Group>,
) -> (Vec<Candidate>, Vec<Merge>) {
    let n = candidates.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut why: Vec<Option<String>> = vec![None; n];
    let mut join = |parent: &mut Vec<usize>, i: usize, j: usize, reason: String| {
        let (a, b) = (root(parent, i), root(parent, j));
        if a == b {
            return;
        }
        let (keep, go) = (a.min(b), a.max(b));
        parent[go] = keep;
        why[go].get_or_insert(reason);
    };
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_link: HashMap<String, Vec<usize>> = HashMap::new();
    let mut shared: Vec<(usize, String)> = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        let same_name = by_name.entry(name_key(&c.group.name)).or_default();
        for &j in same_name.iter() {
            if let Some(reason) = namesakes::same_group(&candidates[j].group, &c.group) {
                join(&mut parent, j, i, format!("the same name, {reason}"));
            }
        }
        same_name.push(i);
        for key in links(&c.record) {
            by_link.entry(key).or_default().push(i);
        }
    }
    // A link given by groups far apart is one they share (a national group's page,
    // say), not a second copy of one group: none of its records is merged by it.
    let mut by_link: Vec<(String, Vec<usize>)> = by_link.into_iter().collect();
    by_link.sort();
    for (key, members) in by_link.iter().filter(|(_, m)| m.len() > 1) {
        let mut reasons = Vec::new();
        let all_near = members.iter().enumerate().all(|(n, &i)| {
            members[n + 1..].iter().all(|&j| {
                namesakes::near(&candidates[i].group, &candidates[j].group)
                    .map(|r| reasons.push((i, j, r)))
                    .is_some()
            })
        });
        let alike = |i: usize, j: usize| {
            namesakes::names_alike(
                &namesakes::words_key(&candidates[i].group.name),
                &namesakes::words_key(&candidates[j].group.name),
            )
        };
        if all_near {
            for (i, j, reason) in reasons {
                join(&mut parent, i, j, format!("the same link {key}, {reason}"));
            }
        } else if let [i, j] = members[..] {
            if alike(i, j) {
                join(
                    &mut parent,
                    i,
                    j,
                    format!("the same link {key} and alike names"),
                );
            } else {
                for (x, y) in [(i, j), (j, i)] {
                    shared.push((x, format!(
                        "its link {key} is also given by {}, far away: kept on both, check it is the group's own",
                        candidates[y].at
                    )));
                }
            }
        } else {
            for &i in members {
                shared.push((i, format!(
                    "its link {key} is also given by {} other records far apart: kept on each, check it is the group's own",
                    members.len() - 1
                )));
            }
        }
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let r = root(&mut parent, i);
        members[r].push(i);
    }
    let mut kept = Vec::new();
    let mut merges = Vec::new();
    let mut slots: Vec<Option<Candidate>> = candidates.into_iter().map(Some).collect();
    for (i, note) in shared {
        if let Some(c) = slots[i].as_mut() {
            c.notes.push(note);
        }
    }
    for (r, group) in members.iter().enumerate() {
        if group.is_empty() {
            continue;
        }
        let mut keeper = slots[r].take().expect("each record is in one set");
        let index = kept.len();
        let mut combined = keeper.record.clone();
        for &m in &group[1..] {
            let other = slots[m].take().expect("each record is in one set");
            combine(&mut combined, &other.record);
            keeper.notes.push(format!("{} merged into it", other.at));
            merges.push(Merge {
                at: other.at,
                name: other.record.name,
                into: index,
                why: why[m].clone().unwrap_or_default(),
            });
        }
        if group.len() > 1 {
            if let Some(g) = recheck(&combined) {
                keeper.record = combined;
                keeper.group = g;
            } else {
                keeper.notes.push(
                    "the combined record did not check, so this one is kept as it was".into(),
                );
            }
        }
        kept.push(keeper);
    }
    (kept, merges)
}

/// Adds `other`'s areas, links, contact routes, help and languages to `into`; a link
/// for a slot already filled goes into the description.
fn combine(into: &mut Record, other: &Record) {
    for a in &other.areas {
        if !into.areas.contains(a) && into.areas.len() < crate::content::group::MAX_AREAS {
            into.areas.push(a.clone());
        }
    }
    let mut extra = Vec::new();
    let (c, o) = (&mut into.contact, &other.contact);
    for (slot, value) in [
        (&mut c.website, &o.website),
        (&mut c.facebook, &o.facebook),
        (&mut c.whatsapp, &o.whatsapp),
    ] {
        match (slot.as_ref(), value) {
            (None, Some(v)) => *slot = Some(v.clone()),
            (Some(s), Some(v)) if link_key(s) != link_key(v) => extra.push(v.clone()),
            _ => {}
        }
    }
    for (slot, value) in [
        (&mut c.phone, &o.phone),
        (&mut c.email, &o.email),
        (&mut c.hours, &o.hours),
    ] {
        if slot.is_none() {
            slot.clone_from(value);
        }
    }
    for h in &other.help {
        if !into.help.contains(h) {
            into.help.push(h.clone());
        }
    }
    for l in &other.languages {
        if !into.languages.contains(l) {
            into.languages.push(l.clone());
        }
    }
    if other.last_checked > into.last_checked {
        into.last_checked.clone_from(&other.last_checked);
    }
    if into.description.is_none() {
        into.description.clone_from(&other.description);
    }
    if !extra.is_empty() {
        let links: Vec<String> = extra.iter().map(|l| format!("<{l}>")).collect();
        let line = format!("Also at {}", links.join(", "));
        into.description = Some(match into.description.take() {
            Some(d) => format!("{d}\n\n{line}"),
            None => line,
        });
    }
}
