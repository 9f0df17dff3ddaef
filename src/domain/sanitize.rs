//! Inbound text hygiene: HTML from peers is reduced to a safe subset before it is stored.

use std::collections::HashSet;
use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "a",
        "span",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "s",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    ]
    .into_iter()
    .collect();
    let mut b = ammonia::Builder::default();
    b.tags(tags)
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("nofollow noopener noreferrer"))
        .allowed_classes(
            [(
                "span",
                ["h-card", "mention", "hashtag", "invisible", "ellipsis"].as_slice(),
            )]
            .into_iter()
            .map(|(t, c)| (t, c.iter().copied().collect()))
            .collect(),
        );
    b
});

/// Sanitized HTML: scripts, styles, event handlers and unknown tags removed.
pub fn html(input: &str) -> String {
    CLEANER.clean(input).to_string()
}

/// Plain text: every tag removed and control characters dropped (names, usernames).
pub fn plain(input: &str) -> String {
    let stripped = ammonia::Builder::empty().clean(input).to_string();
    stripped
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect()
}

/// Plain text like [`plain`] but up to 5000 characters (descriptions, alt text).
pub fn plain_long(input: &str) -> String {
    let stripped = ammonia::Builder::empty().clean(input).to_string();
    stripped
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(5000)
        .collect()
}

/// Readable text of stored HTML: paragraphs become line breaks, tags are removed.
pub fn to_text(html: &str) -> String {
    let spaced = html.replace("</p>", "\n").replace("<br>", "\n");
    ammonia::Builder::empty()
        .clean(&spaced)
        .to_string()
        .trim()
        .to_string()
}

/// Escapes text for inclusion in HTML (local posts are written as plain text).
pub fn escape(input: &str) -> String {
    input
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The nesting depth of a JSON document, counted without parsing it (so a hostile document cannot
/// exhaust the parser's stack). Brackets inside strings are ignored.
pub fn json_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut max, mut in_str, mut escaped) = (0usize, 0usize, false, false);
    for &b in bytes {
        if in_str {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_scripts_and_handlers() {
        let out =
            html(r#"<p onclick="x()">hi<script>alert(1)</script><a href="javascript:x">l</a></p>"#);
        assert!(!out.contains("script"));
        assert!(!out.contains("onclick"));
        assert!(!out.contains("javascript"));
        assert!(out.contains("<p>hi"));
    }

    #[test]
    fn keeps_links_and_mentions() {
        let out =
            html(r#"<p><span class="h-card"><a href="https://a.example/u/x">@x</a></span></p>"#);
        assert!(out.contains("h-card"));
        assert!(out.contains("https://a.example/u/x"));
    }

    #[test]
    fn plain_drops_tags() {
        assert_eq!(plain("<b>Ali</b>ce\u{7}"), "Alice");
    }

    #[test]
    fn depth_ignores_strings() {
        assert_eq!(json_depth(br#"{"a":[{"b":"[[[["}]}"#), 3);
        assert_eq!(json_depth(b"[[[[[[]]]]]]"), 6);
    }
}
