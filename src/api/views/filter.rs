//! Filters as entities, and pages of statuses as a member's filters for a context leave them:
//! posts a `hide` filter matches are left out, the others carry `filtered` results.

use super::{datetime, statuses};
use crate::{
    api::entities::{Filter, FilterKeyword, FilterResult, FilterStatus, Status, V1Filter},
    db::{self, actors::ActorRow, filters::FullFilter, posts::PostRow, DbResult},
    domain::filter::{FilterAction, FilterContext},
    service::filters::{Match, Screen},
};

/// The filter entity; `whole` includes its keywords and statuses.
pub fn filter(f: &FullFilter, whole: bool) -> Filter {
    Filter {
        id: f.filter.id.clone(),
        title: f.filter.title.clone(),
        context: f.filter.context.split(',').map(String::from).collect(),
        expires_at: f.filter.expires_at.map(datetime),
        filter_action: f.filter.filter_action.clone(),
        keywords: whole.then(|| f.keywords.iter().map(filter_keyword).collect()),
        statuses: whole.then(|| f.statuses.iter().map(filter_status).collect()),
    }
}

/// The keyword entity.
pub fn filter_keyword(k: &db::filters::KeywordRow) -> FilterKeyword {
    FilterKeyword {
        id: k.id.clone(),
        keyword: k.keyword.clone(),
        whole_word: k.whole_word,
    }
}

/// The filtered status entity.
pub fn filter_status(s: &db::filters::StatusRow) -> FilterStatus {
    FilterStatus {
        id: s.id.clone(),
        status_id: s.post_id.clone(),
    }
}

/// A filter's keywords in the v1 shape, one entity per keyword.
pub fn v1_filters(f: &FullFilter) -> Vec<V1Filter> {
    f.keywords
        .iter()
        .map(|k| V1Filter {
            id: k.id.clone(),
            phrase: k.keyword.clone(),
            context: f.filter.context.split(',').map(String::from).collect(),
            expires_at: f.filter.expires_at.map(datetime),
            irreversible: f.filter.filter_action == FilterAction::Hide.as_str(),
            whole_word: k.whole_word,
        })
        .collect()
}

/// The `filtered` results of a post's matches.
pub fn results(matches: &[Match]) -> Option<Vec<FilterResult>> {
    (!matches.is_empty()).then(|| {
        matches
            .iter()
            .map(|m| FilterResult {
                filter: filter(&m.filter, false),
                keyword_matches: Some(m.keyword_matches.clone()),
                status_matches: Some(m.status_matches.clone()),
            })
            .collect()
    })
}

/// The status entities of a page as the viewer's filters for `context` leave it.
pub fn screened(
    conn: &mut db::DbConnection,
    posts: &[PostRow],
    viewer: Option<&ActorRow>,
    base_url: &str,
    context: FilterContext,
) -> DbResult<Vec<Status>> {
    let screen = Screen::load(conn, viewer.map(|v| v.id.as_str()), context)?;
    let kept = screen.apply(posts.to_vec());
    let rows: Vec<PostRow> = kept.iter().map(|(p, _)| p.clone()).collect();
    let mut out = statuses(conn, &rows, viewer, base_url)?;
    for (status, (_, matches)) in out.iter_mut().zip(&kept) {
        status.filtered = results(matches);
    }
    Ok(out)
}
