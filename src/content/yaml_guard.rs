//! Checks run on a YAML text before the YAML parser sees it.
//!
//! The parser (libyaml, ported in `yaml_serde`) spends time proportional to the current
//! *flow depth* (how many `[` and `{` are open) on every token, so deeply nested flow
//! collections cost the square of their depth: 8,000 nested `[` took 19 seconds, and a
//! 256 KB file could hold 128,000. `aidmap check` runs on every pull request, so a
//! stranger could stall it. No record needs more than two levels (`areas: [NR2]`), so
//! more than [`MAX_FLOW_DEPTH`] is refused before parsing, pointing at the bracket.

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// The most `[` / `{` that may be open at once in a content or config file.
pub const MAX_FLOW_DEPTH: usize = 64;

/// Finds the first `[` or `{` that opens more than [`MAX_FLOW_DEPTH`] flow collections
/// at once, as a 1-based (line, column), with the message to show.
///
/// Brackets inside quoted scalars of a flow collection and inside comments are skipped,
/// as YAML skips them, so `["]]]", [` cannot hide depth. Outside flow collections quotes
/// are not followed (a plain `don't` is not a quote there): a block text with dozens of
/// unmatched `[` is counted and refused, which no real record has.
pub fn check_flow_depth(source: &str) -> Result<(), ((usize, usize), String)> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut node_start = false;
    let mut after_space = true;
    let (mut line, mut column) = (1usize, 0usize);
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            line += 1;
            column = 0;
        }
        if let Some(q) = quote {
            if q == '"' && c == '\\' {
                column += 1;
                if chars.next() == Some('\n') {
                    line += 1;
                    column = 0;
                }
            } else if c == q {
                quote = None;
                node_start = false;
            }
            continue;
        }
        let space = c.is_whitespace();
        match c {
            '#' if after_space => {
                // A comment runs to the end of the line.
                for c in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                        column = 0;
                        break;
                    }
                }
                after_space = true;
                continue;
            }
            '[' | '{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Err((
                        (line, column),
                        format!(
                            "this is nested more than {MAX_FLOW_DEPTH} levels deep (`[` or `{{` inside each other)"
                        ),
                    ));
                }
                node_start = true;
            }
            ']' | '}' => {
                depth = depth.saturating_sub(1);
                node_start = false;
            }
            ',' | ':' | '?' => node_start = true,
            '"' | '\'' if depth > 0 && node_start => quote = Some(c),
            _ if space => {}
            _ => node_start = false,
        }
        after_space = space;
    }
    Ok(())
}

/// [`check_flow_depth`] as a diagnostic for `path`; `line_offset` is added to the line
/// (a story's front matter starts on line 2).
pub fn guard(path: &Path, source: &str, line_offset: usize) -> Result<(), Diagnostic> {
    check_flow_depth(source).map_err(|((line, column), message)| {
        Diagnostic::error(path, (line + line_offset, column), message)
            .with_hint("a record needs at most two levels, like `areas: [NR2, NR3]`")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_records_pass() {
        let ok = "name: \"A [b] {c}\"\nareas: [NR2, \"NR3 1\"]\ncontact: {phone: x}\n\
                  description: |\n  [a link](https://example.org/) and don't [stop]\n";
        assert_eq!(check_flow_depth(ok), Ok(()));
        let at_limit = format!("x: {}{}", "[".repeat(64), "]".repeat(64));
        assert_eq!(check_flow_depth(&at_limit), Ok(()));
    }

    #[test]
    fn deep_flow_nesting_is_located() {
        let deep = format!("name: A\nx: {}", "[".repeat(65));
        let ((line, column), msg) = check_flow_depth(&deep).unwrap_err();
        assert_eq!((line, column), (2, 4 + 64));
        assert!(msg.contains("64 levels"), "{msg}");
        let maps = format!("x: {}", "{a: ".repeat(70));
        assert!(check_flow_depth(&maps).is_err());
    }

    #[test]
    fn quotes_and_comments_in_flow_cannot_hide_depth() {
        let hidden = format!("x: {}", "[\"]]\", '}}', ".repeat(70));
        assert!(check_flow_depth(&hidden).is_err());
        let comment = format!("x: {}", "[ # ]]\n".repeat(70));
        assert!(check_flow_depth(&comment).is_err());
        // A quote in the middle of a plain scalar is not a quote, in YAML or here.
        let plain = format!("x: {}", "[don't, ".repeat(70));
        assert!(check_flow_depth(&plain).is_err());
    }
}
