//! Normalising what people type and what groups write, so that "Chorlton-cum-Hardy",
//! "chorlton cum hardy" and "Chorlton Cum Härdy" meet in one form.
//!
//! The *folded* form of a text is: lower case, accents removed, apostrophes dropped
//! (so "Herring's" meets "herrings"), every other non-alphanumeric character a space,
//! spaces collapsed, and the word `saint` written `st`. `search.js` folds with `normalize('NFD')` and the same rules; the
//! table below covers the letters NFD decomposes in UK place and group names, so both
//! sides agree on them.
//!
//! A *shard key* is the first two letters or digits of a folded text: place and word
//! shards are split by it, so a resident's browser downloads only the shard its query
//! starts with.

/// Letters NFD splits into a base letter and an accent, with that base letter.
const ACCENTED: &[(&str, char)] = &[
    ("àáâãäåāăą", 'a'),
    ("çćĉċč", 'c'),
    ("ď", 'd'),
    ("èéêëēĕėęě", 'e'),
    ("ĝğġģ", 'g'),
    ("ĥ", 'h'),
    ("ìíîïĩīĭį", 'i'),
    ("ĵ", 'j'),
    ("ķ", 'k'),
    ("ĺļľ", 'l'),
    ("ñńņň", 'n'),
    ("òóôõöōŏő", 'o'),
    ("ŕŗř", 'r'),
    ("śŝşš", 's'),
    ("ţť", 't'),
    ("ùúûüũūŭůűų", 'u'),
    ("ŵẁẃẅ", 'w'),
    ("ýÿŷỳ", 'y'),
    ("źżž", 'z'),
];

/// Words too common to tell groups apart; a query made only of these finds nothing by words.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "any", "are", "as", "at", "be", "by", "for", "from", "i", "in", "is", "it",
    "its", "me", "my", "of", "on", "or", "our", "the", "their", "to", "we", "who", "with", "you",
    "your",
];

/// The folded form of `text` (see the module doc).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars().flat_map(char::to_lowercase) {
        if matches!(c, '\'' | '’' | '‘') {
            continue;
        }
        // The table has no ASCII letters: most characters skip it (scanning it for every
        // letter of every group's text was 4% of a 5,000-group build).
        let c = if c.is_ascii() {
            c
        } else {
            ACCENTED
                .iter()
                .find(|(from, _)| from.contains(c))
                .map_or(c, |&(_, to)| to)
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    // "Saint Ives", "St. Ives" and "St Ives" are one place: the word `saint` folds to `st`
    // (the full stop is already a space).
    if out.split(' ').any(|w| w == "saint") {
        out = out
            .split(' ')
            .map(|w| if w == "saint" { "st" } else { w })
            .collect::<Vec<_>>()
            .join(" ");
    }
    out
}

/// The searchable words of `text`: folded, split, without stop words and single letters.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(' ')
        .filter(|w| w.len() >= 2 && !STOP_WORDS.contains(w))
        .map(str::to_string)
        .collect()
}

/// The shard a folded text belongs to: its first two letters or digits, or `None` if
/// it has fewer (one letter is too little to search on).
pub fn shard_key(folded: &str) -> Option<String> {
    let key: String = folded
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(2)
        .collect();
    (key.len() == 2).then_some(key)
}

/// A language's words for the kinds of help that the English index does not have, for
/// the search to find a group by the kind of help in the resident's language:
/// folded word -> the folded keys of the kinds it names ("siopa" -> ["shopping"],
/// "presgripsiynau" -> ["prescriptions"]). `labels` are (key, label in the language),
/// `english` a key's English label. Words under three letters are left out: in a
/// label they are mostly small words of the language ("ar", "am") that would match too
/// much.
pub fn help_words<'a>(
    labels: impl IntoIterator<Item = (&'a str, &'a str)>,
    english: &dyn Fn(&str) -> String,
) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (key, label) in labels {
        let known: Vec<String> = words(&format!("{key} {}", english(key)));
        let key = fold(key);
        for w in words(label) {
            if w.len() < 3 || known.contains(&w) {
                continue;
            }
            let keys = out.entry(w).or_default();
            if !keys.contains(&key) {
                keys.push(key.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(fold("Chorlton-cum-Hardy"), "chorlton cum hardy");
        assert_eq!(fold("  Ystradgynlais,  Powys "), "ystradgynlais powys");
        assert_eq!(
            fold("Llanfair Pwllgwyngyll Ŵyl"),
            "llanfair pwllgwyngyll wyl"
        );
        assert_eq!(fold("Herring's Green"), "herrings green");
        assert_eq!(fold("Café Société"), "cafe societe");
        assert_eq!(fold("!!!"), "");
        assert_eq!(fold("Saint Ives"), "st ives");
        assert_eq!(fold("St. Ives"), "st ives");
        assert_eq!(fold("Saintbury"), "saintbury");
    }

    #[test]
    fn words_drop_stop_words_and_single_letters() {
        assert_eq!(
            words("Help with the shopping & a phone-call"),
            ["help", "shopping", "phone", "call"]
        );
    }

    #[test]
    fn shard_keys_are_two_characters() {
        assert_eq!(shard_key("st albans").as_deref(), Some("st"));
        assert_eq!(shard_key("e").as_deref(), None);
        assert_eq!(shard_key("a b").as_deref(), Some("ab"));
    }
}
