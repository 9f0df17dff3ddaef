//! Rules for local names (members, groups) and peer host names.

/// Local usernames and group names: 1–30 of `a-z 0-9 _`, so they are safe in URLs and `acct:` handles.
pub fn is_valid_username(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 30
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A host name with an optional `:port`, as peers and this node are identified.
pub fn is_valid_authority(s: &str) -> bool {
    let (host, port) = match s.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (s, None),
    };
    if let Some(p) = port {
        if p.parse::<u16>().is_err() {
            return false;
        }
    }
    !host.is_empty()
        && host.len() <= 253
        && !host.starts_with('.')
        && !host.starts_with('-')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// Splits `@name@host` (or `name@host`, or `acct:name@host`) into its parts.
pub fn parse_handle(handle: &str) -> Option<(String, String)> {
    let h = handle.trim();
    let h = h.strip_prefix("acct:").unwrap_or(h);
    let h = h.strip_prefix('@').unwrap_or(h);
    let (name, host) = h.split_once('@')?;
    if name.is_empty() || !is_valid_authority(host) || name.contains('/') {
        return None;
    }
    Some((name.to_string(), host.to_ascii_lowercase()))
}

/// The `host[:port]` part of a URL, the unit that peer policy applies to.
pub fn authority_of(url: &url::Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.trim_end_matches('.').to_string();
    Some(match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}

/// The handles a text mentions: `@name@host`, and `@name` alone for an account of this node
/// (`local` is its domain), as Mastodon apps write local accounts; the latter come back as
/// `@name@local`. Trailing punctuation is ignored; `a@b` without a leading `@` is no mention.
pub fn mentioned_handles(text: &str, local: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace())
        .filter(|w| w.starts_with('@'))
        .map(|w| w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()))
        .filter_map(|w| {
            let rest = w.strip_prefix('@')?;
            if rest.contains('@') {
                parse_handle(w).map(|_| w.to_string())
            } else {
                let bare =
                    !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                bare.then(|| format!("@{rest}@{local}"))
            }
        })
        .collect()
}

/// A language code as clients and peers send it (`en`, `EN`, `pt-BR`, `fil`), normalized to a
/// lower-case ISO 639 code with an optional region (`pt-BR`); `None` when it is not one.
pub fn normalize_language(raw: &str) -> Option<String> {
    let (primary, region) = match raw.split_once(['-', '_']) {
        Some((p, r)) => (p, Some(r)),
        None => (raw, None),
    };
    if !(2..=3).contains(&primary.len()) || !primary.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut out = primary.to_ascii_lowercase();
    if let Some(r) = region {
        if !(2..=4).contains(&r.len()) || !r.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        out.push('-');
        out.push_str(&r.to_ascii_uppercase());
    }
    Some(out)
}

/// Longest hashtag name kept, in characters.
pub const MAX_HASHTAG_CHARS: usize = 100;

/// Byte ranges of the hashtags in `text`, each starting at its `#`. A hashtag is a `#` at the start
/// or after a character that is not a letter, digit, `_`, `/`, `&` or `#`, followed by letters,
/// digits and `_`, at least one of them not a digit (so `#1`, `a#b` and `&#39;` are not tags).
pub fn hashtag_spans(text: &str) -> Vec<(usize, usize)> {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut spans = Vec::new();
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let starts = c == '#' && !prev.is_some_and(|p| word(p) || matches!(p, '/' | '&' | '#'));
        prev = Some(c);
        if !starts {
            continue;
        }
        let (mut end, mut count, mut has_letter) = (i + 1, 0usize, false);
        while let Some(&(j, d)) = chars.peek() {
            if !word(d) {
                break;
            }
            has_letter |= !d.is_numeric();
            count += 1;
            end = j + d.len_utf8();
            prev = Some(d);
            chars.next();
        }
        if has_letter && count <= MAX_HASHTAG_CHARS {
            spans.push((i, end));
        }
    }
    spans
}

/// The hashtags of a text, lower-cased, without `#`, each once, in order of appearance.
pub fn hashtags(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (a, b) in hashtag_spans(text) {
        let name = text[a + 1..b].to_lowercase();
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// A hashtag name as clients and peers may send it (`#Tag` or `Tag`), normalized; `None` when it
/// is not a valid hashtag.
pub fn normalize_hashtag(raw: &str) -> Option<String> {
    let name = raw.trim().trim_start_matches('#');
    let tagged = format!("#{name}");
    match hashtag_spans(&tagged).as_slice() {
        [(0, end)] if *end == tagged.len() => Some(name.to_lowercase()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn hashtags_are_found_where_people_write_them() {
        assert_eq!(
            hashtags("Consent #Biobank (see #biobank, #GDPR_2025) and #1 or a#b &#39; url/#x #x#y"),
            vec!["biobank", "gdpr_2025", "x"]
        );
        assert_eq!(hashtags("#Müller-Lab"), vec!["müller"]);
        assert_eq!(hashtags("###"), Vec::<String>::new());
        assert_eq!(normalize_hashtag("#Proposals"), Some("proposals".into()));
        assert_eq!(normalize_hashtag("two words"), None);
        assert_eq!(normalize_hashtag("123"), None);
        assert_eq!(normalize_language("EN"), Some("en".into()));
        assert_eq!(normalize_language("pt_br"), Some("pt-BR".into()));
        for bad in ["", "e", "english", "e1", "en-", "en-toolongregion", "<b>"] {
            assert_eq!(normalize_language(bad), None, "{bad}");
        }
    }
    use super::*;

    #[test]
    fn usernames() {
        assert!(is_valid_username("alice_2"));
        assert!(!is_valid_username("Alice"));
        assert!(!is_valid_username(""));
        assert!(!is_valid_username("a/b"));
    }

    #[test]
    fn authorities() {
        assert!(is_valid_authority("cohort.example.org"));
        assert!(is_valid_authority("localhost:8080"));
        assert!(!is_valid_authority("localhost:99999"));
        assert!(!is_valid_authority("bad host"));
        assert!(!is_valid_authority(""));
    }

    #[test]
    fn handles() {
        assert_eq!(
            parse_handle("@wg@node.example:8081"),
            Some(("wg".into(), "node.example:8081".into()))
        );
        assert_eq!(
            parse_handle("acct:a@b.org"),
            Some(("a".into(), "b.org".into()))
        );
        assert_eq!(parse_handle("nohost"), None);
    }

    #[test]
    fn finds_handles() {
        assert_eq!(
            mentioned_handles(
                "hi @wg@node.example:8081, and @bob@x.org! @carol, not a@b, @ or @@x",
                "here.example"
            ),
            vec!["@wg@node.example:8081", "@bob@x.org", "@carol@here.example"]
        );
    }

    #[test]
    fn authority_includes_port_and_drops_trailing_dot() {
        let u = url::Url::parse("https://Example.org./x").unwrap();
        assert_eq!(authority_of(&u).unwrap(), "example.org");
        let u = url::Url::parse("http://localhost:8081/x").unwrap();
        assert_eq!(authority_of(&u).unwrap(), "localhost:8081");
    }
}
