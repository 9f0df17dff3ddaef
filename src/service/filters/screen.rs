//! Filters applied to what a member reads: for one context, which posts are left out (`hide`)
//! and which carry the filters they matched (`warn`, `blur`). Loaded once per page or event.

use crate::{
    db::{self, filters::FullFilter, posts::PostRow, DbConnection, DbResult},
    domain::{
        filter::{keyword_matches, FilterAction, FilterContext},
        sanitize::to_text,
        time::now_ms,
    },
};

/// A member's unexpired filters for one context.
#[derive(Debug, Clone, Default)]
pub struct Screen {
    filters: Vec<FullFilter>,
}

/// One filter a post matched, with what matched.
#[derive(Debug, Clone)]
pub struct Match {
    pub filter: FullFilter,
    pub keyword_matches: Vec<String>,
    pub status_matches: Vec<String>,
}

fn text_of(post: &PostRow) -> String {
    let decoded = to_text(&post.content)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    [
        post.summary.as_deref(),
        post.name.as_deref(),
        Some(&decoded),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n")
}

impl Screen {
    /// The member's filters that apply in `context` now (none for an anonymous reader).
    pub fn load(
        conn: &mut DbConnection,
        me: Option<&str>,
        context: FilterContext,
    ) -> DbResult<Screen> {
        let Some(me) = me else {
            return Ok(Screen::default());
        };
        let filters = db::filters::of_user(conn, me, Some(now_ms()))?
            .into_iter()
            .filter(|f| f.filter.context.split(',').any(|c| c == context.as_str()))
            .collect();
        Ok(Screen { filters })
    }

    /// The filters `post` matches.
    pub fn matches(&self, post: &PostRow) -> Vec<Match> {
        if self.filters.is_empty() {
            return vec![];
        }
        let text = text_of(post);
        let mut out = Vec::new();
        for f in &self.filters {
            let keyword_matches: Vec<String> = f
                .keywords
                .iter()
                .filter(|k| keyword_matches(&text, &k.keyword, k.whole_word))
                .map(|k| k.keyword.clone())
                .collect();
            let status_matches: Vec<String> = f
                .statuses
                .iter()
                .filter(|s| s.post_id == post.id)
                .map(|s| s.post_id.clone())
                .collect();
            if !keyword_matches.is_empty() || !status_matches.is_empty() {
                out.push(Match {
                    filter: f.clone(),
                    keyword_matches,
                    status_matches,
                });
            }
        }
        out
    }

    /// Whether a `hide` filter leaves the post out.
    pub fn hides(matches: &[Match]) -> bool {
        matches
            .iter()
            .any(|m| m.filter.filter.filter_action == FilterAction::Hide.as_str())
    }

    /// The posts a `hide` filter does not leave out, each with the filters it matched.
    pub fn apply(&self, posts: Vec<PostRow>) -> Vec<(PostRow, Vec<Match>)> {
        posts
            .into_iter()
            .filter_map(|p| {
                let m = self.matches(&p);
                (!Screen::hides(&m)).then_some((p, m))
            })
            .collect()
    }
}
