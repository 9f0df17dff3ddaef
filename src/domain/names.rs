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

/// `@name@host` handles in a text (trailing punctuation ignored).
pub fn mentioned_handles(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace())
        .filter(|w| w.starts_with('@') && w[1..].contains('@'))
        .map(|w| {
            w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
                .to_string()
        })
        .filter(|w| parse_handle(w).is_some())
        .collect()
}

#[cfg(test)]
mod tests {
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
            mentioned_handles("hi @wg@node.example:8081, and @bob@x.org! not @local or a@b"),
            vec!["@wg@node.example:8081", "@bob@x.org"]
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
