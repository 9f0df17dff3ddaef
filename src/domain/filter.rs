//! A member's content filters: where they apply, what they do, and when a keyword matches a
//! text (Mastodon's rules: case-insensitive; a whole-word keyword must not run into letters or
//! digits at an end that is itself a letter or digit).

crate::text_enum! {
    /// Where a filter applies.
    FilterContext {
        Home => "home",
        Notifications => "notifications",
        Public => "public",
        Thread => "thread",
        Account => "account",
    }
}

crate::text_enum! {
    /// What a matching filter does to a status: shown behind a warning, left out, or its media
    /// blurred.
    FilterAction {
        Warn => "warn",
        Hide => "hide",
        Blur => "blur",
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `keyword` occurs in `text`.
pub fn keyword_matches(text: &str, keyword: &str, whole_word: bool) -> bool {
    let (text, keyword) = (text.to_lowercase(), keyword.trim().to_lowercase());
    if keyword.is_empty() {
        return false;
    }
    let starts_word = keyword.chars().next().is_some_and(is_word);
    let ends_word = keyword.chars().last().is_some_and(is_word);
    text.match_indices(&keyword).any(|(at, found)| {
        if !whole_word {
            return true;
        }
        let before = text[..at].chars().next_back();
        let after = text[at + found.len()..].chars().next();
        let runs_in = starts_word && before.is_some_and(is_word);
        let runs_on = ends_word && after.is_some_and(is_word);
        !(runs_in || runs_on)
    })
}

/// Parses the contexts a client names; `None` when one is unknown or none is given.
pub fn parse_contexts(names: &[String]) -> Option<Vec<FilterContext>> {
    let mut out: Vec<FilterContext> = Vec::new();
    for n in names {
        let c: FilterContext = n.parse().ok()?;
        if !out.contains(&c) {
            out.push(c);
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_match_as_mastodon_matches_them() {
        assert!(keyword_matches("I love Rust!", "rust", true));
        assert!(keyword_matches("Trusted", "rust", false));
        assert!(!keyword_matches("Trusted", "rust", true));
        assert!(keyword_matches("see #spoilers now", "#spoilers", true));
        assert!(keyword_matches("bad word here", "bad word", true));
        assert!(!keyword_matches("badwords", "bad word", false));
        assert!(!keyword_matches("anything", "  ", false));
    }

    #[test]
    fn contexts_are_parsed_strictly() {
        let ok = parse_contexts(&["home".into(), "thread".into(), "home".into()]);
        assert_eq!(ok, Some(vec![FilterContext::Home, FilterContext::Thread]));
        assert_eq!(parse_contexts(&["home".into(), "everywhere".into()]), None);
        assert_eq!(parse_contexts(&[]), None);
    }
}
