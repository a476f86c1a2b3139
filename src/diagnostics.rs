//! Problems found in a user's files, each pinned to a file, line and column.
//!
//! A *diagnostic* is one problem in content a volunteer wrote: it names the file, the
//! line and column (from the YAML parser where it has them), what is wrong and what to do.
//! There is one printer for the terminal, one for GitHub annotations, and the dev server's
//! error overlay reuses the terminal form, so a problem reads the same everywhere.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors stop a build, warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The content cannot be published as it is.
    Error,
    /// Worth fixing, but the site still builds.
    Warning,
}

/// One located problem in a user's file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The file, relative to the directory root where possible.
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it, when we can say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at a place in a file.
    ///
    /// The message is made safe to print (see [`shown`]): a value quoted in it is cut to
    /// a short excerpt and its control characters are made visible.
    pub fn error(path: &Path, (line, column): (usize, usize), message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line,
            column,
            severity: Severity::Error,
            message: shown(&message.into()),
            hint: None,
        }
    }

    /// A warning at a place in a file.
    pub fn warning(path: &Path, at: (usize, usize), message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, at, message)
        }
    }

    /// Adds the "what to do" line.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(shown(&hint.into()));
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The `file:line:column` prefix, leaving out what is unknown.
    fn location(&self) -> String {
        let path = visible(&self.path.display().to_string(), true);
        match (self.line, self.column) {
            (0, _) => path,
            (line, 0) => format!("{path}:{line}"),
            (line, column) => format!("{path}:{line}:{column}"),
        }
    }

    /// The GitHub Actions workflow-command form, which annotates the pull request's files.
    pub fn to_github(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut text = self.message.clone();
        if let Some(hint) = &self.hint {
            text.push_str(" (hint: ");
            text.push_str(hint);
            text.push(')');
        }
        // GitHub's escaping rules for workflow commands: in the message %, CR and LF; in
        // a property also `:` and `,`. Anything else that could end the command or start
        // another (a file name with a newline in it) is made visible first.
        let text = escape_github(&text, false);
        let file = escape_github(&visible(&self.path.display().to_string(), true), true);
        format!(
            "::{kind} file={file},line={},col={}::{text}",
            self.line.max(1),
            self.column.max(1)
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {kind}: {}", self.location(), self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every problem found in one run, in a stable order (by file, then position).
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records one problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Records several problems.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// Sorts by file, line, column, so output is the same on every run.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
        });
        self.items.dedup();
    }

    /// How many errors (not warnings) there are.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// How many warnings there are.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// True when at least one problem is an error.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// All problems.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The terminal form of every problem, without the closing count.
    pub fn render_items(&self) -> String {
        self.items.iter().map(|d| format!("{d}\n")).collect()
    }

    /// The terminal form of every problem plus a closing count, as `aidmap check` prints it.
    pub fn render_text(&self) -> String {
        self.render_text_folded(usize::MAX)
    }

    /// Like [`Diagnostics::render_text`], but once `limit` warnings with the same hint
    /// have been printed, the rest are counted under them, not printed: a national
    /// directory's build printed 5,000 warnings that its Polish-speaking groups' leaflets
    /// are in English, burying anything else. Errors are always all printed, and
    /// `aidmap check` still lists every warning.
    pub fn render_text_folded(&self, limit: usize) -> String {
        let mut out = String::new();
        // Hint -> how many warnings gave it, and how many of those were printed.
        let mut seen: Vec<(&str, usize)> = Vec::new();
        for d in &self.items {
            if let (Severity::Warning, Some(hint)) = (d.severity, &d.hint) {
                let n = match seen.iter_mut().find(|(h, _)| *h == hint.as_str()) {
                    Some((_, n)) => n,
                    None => {
                        seen.push((hint, 0));
                        &mut seen.last_mut().expect("just pushed").1
                    }
                };
                *n += 1;
                if *n > limit {
                    continue;
                }
            }
            out.push_str(&d.to_string());
            out.push('\n');
        }
        for (hint, n) in seen {
            if n > limit {
                out.push_str(&format!(
                    "... and {} more warning{} with the hint \"{hint}\" (`aidmap check` lists every one)\n",
                    n - limit,
                    plural(n - limit)
                ));
            }
        }
        if !self.items.is_empty() {
            out.push_str(&format!(
                "{} error{}, {} warning{}\n",
                self.error_count(),
                plural(self.error_count()),
                self.warning_count(),
                plural(self.warning_count())
            ));
        }
        out
    }
}

/// The most characters of one quoted value a message shows: enough to recognise the
/// value, too few to print a secret that a link or a mistake put there (serde's "invalid
/// type" message quotes the whole scalar; a `site.yaml` linked to a private key would
/// otherwise print the key into a CI log).
pub const MAX_QUOTED_CHARS: usize = 40;

/// The most characters of a whole message or hint.
pub const MAX_MESSAGE_CHARS: usize = 600;

/// A message as it may be printed: every value quoted in it (between backticks or double
/// quotes) cut to [`MAX_QUOTED_CHARS`], control characters made visible (a quoted value's
/// line breaks too), the whole at most [`MAX_MESSAGE_CHARS`].
pub fn shown(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(MAX_MESSAGE_CHARS + 8));
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest[open..].chars().next().unwrap_or('"');
        out.push_str(&visible(&rest[..=open], false));
        let after = &rest[open + 1..];
        let Some(close) = after.find(quote) else {
            out.push_str(&excerpt(after));
            rest = "";
            break;
        };
        out.push_str(&excerpt(&after[..close]));
        out.push(quote);
        rest = &after[close + 1..];
    }
    out.push_str(&visible(rest, false));
    if out.chars().count() > MAX_MESSAGE_CHARS {
        out = out.chars().take(MAX_MESSAGE_CHARS).collect();
        out.push('…');
    }
    out
}

/// A quoted value cut to [`MAX_QUOTED_CHARS`] with its control characters visible.
fn excerpt(value: &str) -> String {
    let mut cut: String = value.chars().take(MAX_QUOTED_CHARS).collect();
    let more = cut.len() < value.len();
    cut = visible(&cut, true);
    if more {
        cut.push('…');
    }
    cut
}

/// Text with its control characters (C0, DEL, C1) and Unicode direction controls written
/// as `\u{1b}`, so that a value echoed in a message cannot move the cursor, retitle the
/// window, write the clipboard (OSC 52) or fake an "ok" line. Line breaks are kept unless
/// `breaks_too` (for a value, which has no business starting a new line of output).
pub fn visible(text: &str, breaks_too: bool) -> String {
    let hidden = |c: char| {
        (c.is_control() && (breaks_too || c != '\n'))
            || crate::content::check::is_bidi_control(c)
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
    };
    if !text.chars().any(hidden) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// GitHub's escaping for a workflow command's message (`property` false) or one of its
/// properties such as `file=` (`property` true).
fn escape_github(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            _ => out.push(c),
        }
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Finds where a value sits in a YAML source, for problems found after parsing.
///
/// serde tells us the line and column only for problems it finds itself; for checks
/// we make afterwards (a bad phone number, an unknown district) we look the key up in
/// the text. `keys` is a path such as `["contact", "phone"]`; `item` optionally names
/// the text of a list element to point at. Falls back to the nearest found key, then to
/// line 1, so a diagnostic always has a place.
pub fn locate(source: &str, keys: &[&str], item: Option<&str>) -> (usize, usize) {
    let mut best = (1, 1);
    let mut depth = 0;
    let mut min_indent = 0usize;
    let lines: Vec<&str> = source.lines().collect();
    let mut i = 0;
    while i < lines.len() && depth < keys.len() {
        let line = lines[i];
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start().trim_start_matches("- ");
        if depth > 0 && indent < min_indent && !line.trim().is_empty() {
            break;
        }
        let key = keys[depth];
        let unquoted = trimmed.trim_start_matches(['"', '\'']);
        if indent >= min_indent
            && unquoted.starts_with(key)
            && unquoted[key.len()..]
                .trim_start_matches(['"', '\''])
                .starts_with(':')
        {
            let col = line.len() - trimmed.len() + 1;
            best = (i + 1, col);
            depth += 1;
            min_indent = indent + 1;
            if depth == keys.len() {
                if let Some(item) = item {
                    // The element may be on this line (flow list) or on the lines below.
                    for (j, l) in lines.iter().enumerate().skip(i).take(200) {
                        if j > i && !l.trim().is_empty() && {
                            let ind = l.len() - l.trim_start().len();
                            ind <= indent && !l.trim_start().starts_with('-')
                        } {
                            break;
                        }
                        let search_from = if j == i { col - 1 + key.len() } else { 0 };
                        if let Some(pos) = find_item(&l[search_from.min(l.len())..], item) {
                            return (j + 1, search_from + pos + 1);
                        }
                    }
                } else if let Some(pos) = line[col - 1 + key.len()..]
                    .find(|c: char| c != ':' && c != ' ' && c != '"' && c != '\'')
                {
                    // Point at the value rather than the key when it is on the same line.
                    let at = col - 1 + key.len() + pos;
                    let value_start = line[..at].trim_end_matches(['"', '\'']).len();
                    return (i + 1, value_start + 1);
                }
                return best;
            }
        }
        i += 1;
    }
    best
}

/// Finds `item` in a line as a whole list element, not inside a longer word.
fn find_item(line: &str, item: &str) -> Option<usize> {
    let mut start = 0;
    while let Some(pos) = line[start..].find(item) {
        let at = start + pos;
        let before = line[..at].chars().next_back();
        let after = line[at + item.len()..].chars().next();
        let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if edge(before) && edge(after) {
            // Point at an opening quote if the element is quoted.
            return Some(if matches!(before, Some('"') | Some('\'')) {
                at - 1
            } else {
                at
            });
        }
        start = at + item.len();
    }
    None
}

/// Turns a serde YAML error into a diagnostic that keeps the parser's line and column.
///
/// `line_offset` is added to the line (front matter starts below the `---` line). The
/// parser's own " at line N column M" suffix is removed because the location leads.
pub fn from_yaml_error(path: &Path, err: &serde_yaml::Error, line_offset: usize) -> Diagnostic {
    let (line, column) = err
        .location()
        .map(|l| (l.line() + line_offset, l.column()))
        .unwrap_or((line_offset.max(1), 0));
    let mut message = err.to_string();
    if let Some(cut) = message.find(" at line ") {
        message.truncate(cut);
    }
    let hint = yaml_hint(&message);
    let mut d = Diagnostic::error(path, (line, column), message);
    if let Some(h) = hint {
        d = d.with_hint(h);
    }
    d
}

/// The most structural problems [`from_yaml_all`] reports in one file.
const MAX_STRUCTURAL: usize = 20;

/// Deserialises `source`, reporting every structural problem serde finds, not only the
/// first: serde stops at the first unknown field or wrong type, so a volunteer would fix
/// one line, run again and meet the next. After each problem the line it points at (and
/// the lines indented under it) are blanked, keeping every other line where it was, and
/// the text is parsed again, up to [`MAX_STRUCTURAL`] times. Stops at a problem with no
/// line to blank (a missing field) or one that comes back at the same place.
pub fn from_yaml_all<T: serde::de::DeserializeOwned>(
    path: &Path,
    source: &str,
    line_offset: usize,
) -> Result<T, Vec<Diagnostic>> {
    let first = match serde_yaml::from_str::<T>(source) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let mut problems = vec![from_yaml_error(path, &first, line_offset)];
    let mut lines: Vec<String> = source.lines().map(str::to_string).collect();
    let mut err = first;
    let mut last_at = None;
    for _ in 0..MAX_STRUCTURAL {
        let Some(at) = err.location().map(|l| l.line()) else {
            break;
        };
        if at == 0 || at > lines.len() || last_at == Some(at) {
            break;
        }
        last_at = Some(at);
        blank_entry(&mut lines, at - 1);
        match serde_yaml::from_str::<T>(&lines.join("\n")) {
            Ok(_) => break,
            Err(e) => {
                let d = from_yaml_error(path, &e, line_offset);
                // Only problems with the shape of the record are collected: a missing
                // field or an unknown anchor can be what the blanking removed, which is
                // our doing, not the writer's.
                let structural = [
                    "unknown field",
                    "invalid type",
                    "unknown variant",
                    "invalid value",
                    "invalid length",
                ]
                .iter()
                .any(|k| d.message.contains(k));
                if !structural || problems.contains(&d) {
                    break;
                }
                problems.push(d);
                err = e;
            }
        }
    }
    Err(problems)
}

/// Blanks line `i` and the lines after it that are indented further (its value).
fn blank_entry(lines: &mut [String], i: usize) {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let own = indent(&lines[i]);
    // A list item's key: the entry is the item, so count from its dash.
    lines[i].clear();
    for line in lines.iter_mut().skip(i + 1) {
        if line.trim().is_empty() || indent(line) > own {
            line.clear();
        } else {
            break;
        }
    }
}

/// A "did you mean" for serde's unknown-field message, and plain words for common slips.
fn yaml_hint(message: &str) -> Option<String> {
    // serde's "unknown variant `x`, expected one of `a`, `b`" and "unknown field `x`, ...".
    for (kind, otherwise) in [
        ("unknown variant `", "write one of: "),
        ("unknown field `", "the fields allowed here are: "),
    ] {
        if let Some(rest) = message.split(kind).nth(1) {
            let given = rest.split('`').next().unwrap_or_default();
            let expected: Vec<&str> = rest
                .split("expected ")
                .nth(1)
                .unwrap_or_default()
                .split('`')
                .skip(1)
                .step_by(2)
                .collect();
            return Some(match did_you_mean(given, expected.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("{otherwise}{}", expected.join(", ")),
            });
        }
    }
    if message.contains("missing field") {
        return Some("add the field; see the content format in README.md".into());
    }
    if message.contains("did not find expected") || message.contains("mapping values") {
        return Some(
            "check the indentation and that text containing `: ` or `#` is in quotes".into(),
        );
    }
    None
}

/// The closest candidate to `word`, when one is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| {
            (
                strsim::jaro_winkler(&word.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "name: X\nareas: [NR2, \"NR3 1\"]\ncontact:\n  email: a@b\n  phone: \"01632\"\nhelp:\n  - shopping\n  - flying\n";

    #[test]
    fn locates_nested_keys_and_items() {
        assert_eq!(locate(SRC, &["contact", "phone"], None), (5, 10));
        assert_eq!(locate(SRC, &["areas"], Some("NR3 1")), (2, 14));
        assert_eq!(locate(SRC, &["help"], Some("flying")), (8, 5));
        assert_eq!(locate(SRC, &["name"], None), (1, 7));
        assert_eq!(locate(SRC, &["missing"], None), (1, 1));
    }

    #[test]
    fn github_format_escapes() {
        let d =
            Diagnostic::error(Path::new("a,b.yaml"), (2, 3), "50% wrong\nreally").with_hint("fix");
        assert_eq!(
            d.to_github(),
            "::error file=a%2Cb.yaml,line=2,col=3::50%25 wrong%0Areally (hint: fix)"
        );
    }

    #[test]
    fn every_unknown_field_and_wrong_type_in_one_run() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct R {
            name: String,
            #[serde(default)]
            areas: Vec<String>,
            #[serde(default)]
            contact: Option<C>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct C {
            phone: Option<String>,
        }
        let src = "name: X\nnmae: Y\nareas: 3\ncontact:\n  phnoe: \"1\"\n  phone: \"2\"\nextra:\n  - a\n  - b\n";
        let ds = from_yaml_all::<R>(Path::new("g.yaml"), src, 0).unwrap_err();
        let lines: Vec<usize> = ds.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![2, 3, 5, 7], "{ds:#?}");
    }

    #[test]
    fn a_file_name_cannot_forge_workflow_commands() {
        let d = Diagnostic::error(
            Path::new("a\n::add-mask::x\r\n::stop-commands::t:b.yaml"),
            (1, 1),
            "bad `x\n::notice::forged`",
        );
        let line = d.to_github();
        assert_eq!(line.lines().count(), 1, "{line}");
        assert!(
            !line.contains("\n::") && !line[2..].contains("::add-mask"),
            "{line}"
        );
        assert!(line.contains("file=a\\u{a}%3A%3Aadd-mask%3A%3Ax"), "{line}");
    }

    #[test]
    fn values_in_messages_are_short_and_visible() {
        let key = format!(
            "invalid type: string \"-----BEGIN KEY-----\n{}\", expected a map",
            "A".repeat(400)
        );
        let d = Diagnostic::error(Path::new("site.yaml"), (1, 1), key);
        assert!(d.message.len() < 120, "{}", d.message);
        assert!(
            d.message.contains("\\u{a}") && d.message.ends_with("…\", expected a map"),
            "{}",
            d.message
        );
        let d = Diagnostic::error(
            Path::new("g.yaml"),
            (1, 1),
            "`\u{1b}]52;c;aGk=\u{7}\u{1b}[32mok\r` is not a phone number",
        );
        assert!(!d.message.chars().any(|c| c.is_control()), "{}", d.message);
        assert!(
            d.message.starts_with("`\\u{1b}]52;c;aGk=\\u{7}"),
            "{}",
            d.message
        );
        assert_eq!(visible("two\nlines", false), "two\nlines");
    }
}
