//! A member's plain text to the HTML stored for local posts, marked up as Mastodon marks it up:
//! escaped, paragraphs and line breaks kept, hashtags linked to their pages and mentions of
//! accounts that could be found linked to them (`@<span>name</span>`, the name alone, which is
//! also how Lemmy finds a community's mention in the first line it makes a title of).

use crate::{
    db::actors::ActorRow,
    domain::{names, sanitize},
    service::follows::resolve_handle,
    state::Ctx,
    urls::Urls,
};

/// A mentioned account that was found: its handle (`@name@host`, lower-case) and the account.
#[derive(Debug, Clone)]
pub struct Mention {
    pub handle: String,
    pub actor: ActorRow,
}

/// The accounts `text` mentions by handle (`@name@host`, or `@name` here) that can be found.
pub async fn mentions(ctx: &Ctx, text: &str) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    for handle in names::mentioned_handles(text, &ctx.config.instance.domain) {
        let handle = handle.to_lowercase();
        if out.iter().any(|m| m.handle == handle) {
            continue;
        }
        if let Ok(actor) = resolve_handle(ctx, &handle).await {
            out.push(Mention { handle, actor });
        }
    }
    out
}

/// Plain text to HTML, without mention links (texts that mention nobody: bios, proposals).
pub fn text_to_html(text: &str, urls: &Urls) -> String {
    html_with_mentions(text, urls, "", &[])
}

/// Plain text to HTML with the `mentions` linked; `local` is this node's domain, the host of a
/// handle written without one.
pub fn html_with_mentions(text: &str, urls: &Urls, local: &str, mentions: &[Mention]) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let linked = link_hashtags(&sanitize::escape(p), urls);
            format!(
                "<p>{}</p>",
                link_mentions(&linked, local, mentions).replace('\n', "<br>")
            )
        })
        .collect()
}

/// Turns the hashtags of escaped text into links to their pages, as Mastodon marks them up.
fn link_hashtags(escaped: &str, urls: &Urls) -> String {
    let mut out = String::with_capacity(escaped.len());
    let mut last = 0;
    for (a, b) in names::hashtag_spans(escaped) {
        let name = &escaped[a + 1..b];
        out.push_str(&escaped[last..a]);
        out.push_str(&format!(
            "<a href=\"{}\" class=\"mention hashtag\" rel=\"tag\">#<span>{name}</span></a>",
            urls.tag(&name.to_lowercase())
        ));
        last = b;
    }
    out.push_str(&escaped[last..]);
    out
}

/// Links each `@name` or `@name@host` of escaped text that starts a word and names one of the
/// `mentions`.
fn link_mentions(escaped: &str, local: &str, mentions: &[Mention]) -> String {
    let links: Vec<(&str, &str, &str)> = mentions
        .iter()
        .map(|m| {
            (
                m.handle.as_str(),
                m.actor.ap_id.as_str(),
                m.actor.username.as_str(),
            )
        })
        .collect();
    link_handles(escaped, local, &links)
}

/// `link_mentions` on `(handle, href, name)` triples.
fn link_handles(escaped: &str, local: &str, links: &[(&str, &str, &str)]) -> String {
    if links.is_empty() {
        return escaped.to_string();
    }
    let in_handle = |c: char| c.is_ascii_alphanumeric() || "_@.:-".contains(c);
    let mut out = String::with_capacity(escaped.len());
    let mut rest = escaped;
    let mut starts_word = true;
    while let Some(c) = rest.chars().next() {
        let word = match (c, starts_word) {
            ('@', true) => {
                let end = rest.find(|c: char| !in_handle(c)).unwrap_or(rest.len());
                rest[..end].trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
            }
            _ => "",
        };
        if word.len() > 1 {
            let handle = match word[1..].contains('@') {
                true => word.to_lowercase(),
                false => format!("{word}@{local}").to_lowercase(),
            };
            if let Some((href, name)) = links
                .iter()
                .find(|(h, ..)| *h == handle)
                .map(|l| (l.1, l.2))
            {
                out.push_str(&format!(
                    "<span class=\"h-card\" translate=\"no\"><a href=\"{}\" class=\"u-url mention\">@<span>{}</span></a></span>",
                    sanitize::escape(href),
                    sanitize::escape(name),
                ));
                rest = &rest[word.len()..];
                starts_word = false;
                continue;
            }
        }
        out.push(c);
        starts_word = c.is_whitespace() || c == '(';
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_linked_where_a_word_starts() {
        let links = [
            ("@wg@a.example", "https://a.example/groups/wg", "wg"),
            ("@bob@b.example", "https://b.example/users/bob", "bob"),
        ];
        let card = |href: &str, name: &str| {
            format!(
                "<span class=\"h-card\" translate=\"no\"><a href=\"{href}\" \
                 class=\"u-url mention\">@<span>{name}</span></a></span>"
            )
        };
        let (wg, bob) = (
            card("https://a.example/groups/wg", "wg"),
            card("https://b.example/users/bob", "bob"),
        );
        let text = "@wg kickoff (@Bob@B.example, mail@wg.org, @carol) @wg.";
        assert_eq!(
            link_handles(text, "a.example", &links),
            format!("{wg} kickoff ({bob}, mail@wg.org, @carol) {wg}.")
        );
        assert_eq!(
            link_handles("no one @here", "a.example", &links),
            "no one @here"
        );
        assert_eq!(
            link_handles("@wg", "b.example", &links),
            "@wg",
            "another node's wg"
        );
        assert_eq!(
            link_handles("@ @. @wg", "a.example", &links),
            format!("@ @. {wg}"),
            "a lone @ is text"
        );
    }
}
