//! A filter's keywords and statuses, each reachable by its own id (`/api/v2/filters/keywords/…`,
//! `/api/v2/filters/statuses/…`) only by the filter's owner.

use super::{invalid, keyword_text, not_found, owned};
use crate::{
    db::{
        self,
        filters::{KeywordRow, StatusRow},
    },
    domain::{ids::new_id, time::now_ms},
    error::{AppError, AppResult},
    service::visibility::{Sight, Viewer},
    state::AppState,
};

/// Adds a keyword to one of the member's filters (whole word unless said).
pub async fn add_keyword(
    state: &AppState,
    me: String,
    filter_id: String,
    keyword: Option<String>,
    whole_word: Option<bool>,
) -> AppResult<KeywordRow> {
    let keyword = keyword_text(keyword)?;
    state
        .db
        .tx(move |c| {
            owned(c, &me, &filter_id)?;
            let row = KeywordRow {
                id: new_id(),
                filter_id,
                keyword,
                whole_word: whole_word.unwrap_or(true),
                created_at: now_ms(),
            };
            db::filters::insert_keyword(c, &row)?;
            Ok(row)
        })
        .await
}

/// One of the member's keywords.
pub async fn keyword(state: &AppState, me: String, id: String) -> AppResult<KeywordRow> {
    state
        .db
        .run(move |c| Ok(db::filters::keyword(c, &me, &id)?.map(|(k, _)| k)))
        .await?
        .ok_or_else(not_found)
}

/// Changes a keyword's text or whole-word matching.
pub async fn change_keyword(
    state: &AppState,
    me: String,
    id: String,
    keyword: Option<String>,
    whole_word: Option<bool>,
) -> AppResult<KeywordRow> {
    let keyword = keyword.map(|k| keyword_text(Some(k))).transpose()?;
    state
        .db
        .tx(move |c| {
            let (mut row, _) = db::filters::keyword(c, &me, &id)?.ok_or_else(not_found)?;
            if let Some(k) = keyword {
                row.keyword = k;
            }
            row.whole_word = whole_word.unwrap_or(row.whole_word);
            db::filters::update_keyword(c, &row)?;
            Ok(row)
        })
        .await
}

/// Deletes a keyword.
pub async fn remove_keyword(state: &AppState, me: String, id: String) -> AppResult<()> {
    state
        .db
        .tx(move |c| {
            db::filters::keyword(c, &me, &id)?.ok_or_else(not_found)?;
            Ok::<_, AppError>(db::filters::delete_keyword(c, &id)?)
        })
        .await
}

/// Adds a status the member may see to one of their filters (a status already on it is
/// refused as Mastodon refuses it).
pub async fn add_status(
    state: &AppState,
    me: String,
    filter_id: String,
    status_id: Option<String>,
) -> AppResult<StatusRow> {
    let status_id = status_id
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| invalid("Status can't be blank"))?;
    state
        .db
        .tx(move |c| {
            owned(c, &me, &filter_id)?;
            let post = db::posts::by_id(c, &status_id)?.ok_or_else(not_found)?;
            if !Sight::new(Viewer::Local(me.clone())).may_see(c, &post)? {
                return Err(not_found());
            }
            if db::filters::status_of(c, &filter_id, &post.id)?.is_some() {
                return Err(invalid("Status has already been taken"));
            }
            let row = StatusRow {
                id: new_id(),
                filter_id,
                post_id: post.id,
                created_at: now_ms(),
            };
            db::filters::insert_status(c, &row)?;
            Ok(row)
        })
        .await
}

/// One of the member's filtered statuses.
pub async fn status(state: &AppState, me: String, id: String) -> AppResult<StatusRow> {
    state
        .db
        .run(move |c| Ok(db::filters::status(c, &me, &id)?.map(|(s, _)| s)))
        .await?
        .ok_or_else(not_found)
}

/// Takes a status off its filter.
pub async fn remove_status(state: &AppState, me: String, id: String) -> AppResult<()> {
    state
        .db
        .tx(move |c| {
            db::filters::status(c, &me, &id)?.ok_or_else(not_found)?;
            Ok::<_, AppError>(db::filters::delete_status(c, &id)?)
        })
        .await
}
