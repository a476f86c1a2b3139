//! The shared words for kinds of help and for languages.
//!
//! Groups name the help they give by *key* (`shopping`, `phone-calls`); the site shows a
//! human label. The built-in vocabulary covers what UK groups did in 2020; a site adds its
//! own keys under `help:` in `site.yaml`.

/// The most kinds of help a group's card lists: enough to tell groups apart at a glance.
pub const CARD_HELP: usize = 4;

/// Built-in kinds of help: (key, label).
const BUILTIN_HELP: &[(&str, &str)] = &[
    ("shopping", "Shopping"),
    ("prescriptions", "Collecting prescriptions"),
    ("phone-calls", "A friendly phone call"),
    ("befriending", "Befriending"),
    ("food", "Food parcels"),
    ("meals", "Cooked meals"),
    ("dog-walking", "Dog walking"),
    ("lifts", "Lifts to appointments"),
    ("digital-help", "Help getting online"),
    ("errands", "Errands"),
    ("posting-mail", "Posting mail"),
    ("urgent-supplies", "Urgent supplies"),
    ("translation", "Translation"),
    ("advice", "Advice and signposting"),
    ("emotional-support", "Someone to talk to"),
    ("gardening", "Gardening"),
];

/// The kinds of help a site knows, in display order.
#[derive(Debug, Clone)]
pub struct HelpVocabulary {
    entries: Vec<(String, String)>,
}

impl HelpVocabulary {
    /// The vocabulary that ships with aidmap.
    pub fn builtin() -> Self {
        HelpVocabulary {
            entries: BUILTIN_HELP
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// Adds a site's own key, or relabels a built-in one.
    pub fn add(&mut self, key: &str, label: &str) {
        match self.entries.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = label.to_string(),
            None => self.entries.push((key.to_string(), label.to_string())),
        }
    }

    /// The label for a key.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// All keys, in display order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    /// All (key, label) pairs.
    pub fn entries(&self) -> &[(String, String)] {
        &self.entries
    }

    /// The display position of a key, so groups list help in one consistent order.
    pub fn position(&self, key: &str) -> usize {
        self.entries
            .iter()
            .position(|(k, _)| k == key)
            .unwrap_or(usize::MAX)
    }
}

/// Languages groups commonly work in: ISO 639-1 code, English name, own name, right-to-left.
pub const LANGUAGES: &[(&str, &str, &str, bool)] = &[
    ("en", "English", "English", false),
    ("cy", "Welsh", "Cymraeg", false),
    ("gd", "Scottish Gaelic", "Gàidhlig", false),
    ("ga", "Irish", "Gaeilge", false),
    ("so", "Somali", "Soomaali", false),
    ("pl", "Polish", "Polski", false),
    ("ur", "Urdu", "اردو", true),
    ("pa", "Punjabi", "ਪੰਜਾਬੀ", false),
    ("bn", "Bengali", "বাংলা", false),
    ("gu", "Gujarati", "ગુજરાતી", false),
    ("ar", "Arabic", "العربية", true),
    ("ro", "Romanian", "Română", false),
    ("pt", "Portuguese", "Português", false),
    ("tr", "Turkish", "Türkçe", false),
    ("es", "Spanish", "Español", false),
    ("fr", "French", "Français", false),
    ("it", "Italian", "Italiano", false),
    ("lt", "Lithuanian", "Lietuvių", false),
    ("zh", "Chinese", "中文", false),
    ("ta", "Tamil", "தமிழ்", false),
    ("fa", "Persian", "فارسی", true),
    ("ku", "Kurdish", "Kurdî", false),
    ("ti", "Tigrinya", "ትግርኛ", false),
    ("uk", "Ukrainian", "Українська", false),
    ("ru", "Russian", "Русский", false),
    ("bg", "Bulgarian", "Български", false),
    ("yi", "Yiddish", "ייִדיש", true),
    ("ps", "Pashto", "پښتو", true),
    ("he", "Hebrew", "עברית", true),
    ("hi", "Hindi", "हिन्दी", false),
    ("bsl", "British Sign Language", "BSL", false),
];

/// Looks up a language code: (English name, own name, right-to-left).
pub fn language(code: &str) -> Option<(&'static str, &'static str, bool)> {
    LANGUAGES
        .iter()
        .find(|(c, ..)| *c == code)
        .map(|(_, en, own, rtl)| (*en, *own, *rtl))
}
