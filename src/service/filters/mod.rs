//! A member's filters (Mastodon's filters v2): a title, the contexts it applies in, an action
//! (`warn`, `hide`, `blur`), an optional expiry, keywords and statuses. Every change is checked
//! whole before anything is written, so a refused request changes nothing. `screen.rs` applies
//! them to what a member reads.
//!
//! Uses `db` and `domain` only.

mod edit;
mod screen;

pub use edit::{
    add_keyword, add_status, change_keyword, keyword, remove_keyword, remove_status, status,
};
pub use screen::{Match, Screen};

use crate::{
    db::{self, filters::FullFilter, DbConnection},
    domain::{
        filter::{parse_contexts, FilterAction},
        ids::new_id,
        time::now_ms,
    },
    error::{AppError, AppResult},
    state::AppState,
};

/// A keyword change inside a filter request (`keywords_attributes[]`).
#[derive(Debug, Default, Clone)]
pub struct KeywordChange {
    pub id: Option<String>,
    pub keyword: Option<String>,
    pub whole_word: Option<bool>,
    pub destroy: bool,
}

/// What a client may set on a filter; `None` keeps the stored value. `expires_in` is
/// `Some(None)` to clear the expiry.
#[derive(Debug, Default, Clone)]
pub struct FilterInput {
    pub title: Option<String>,
    pub context: Option<Vec<String>>,
    pub filter_action: Option<String>,
    pub expires_in: Option<Option<i64>>,
    pub keywords: Vec<KeywordChange>,
}

pub(crate) fn invalid(what: &str) -> AppError {
    AppError::Unprocessable(format!("Validation failed: {what}"))
}

pub(crate) fn not_found() -> AppError {
    AppError::NotFound("Record not found".into())
}

pub(crate) fn owned(conn: &mut DbConnection, me: &str, id: &str) -> AppResult<FullFilter> {
    db::filters::full(conn, me, id)?.ok_or_else(not_found)
}

/// A keyword's text, trimmed and not blank.
pub(crate) fn keyword_text(k: Option<String>) -> AppResult<String> {
    let k = k.unwrap_or_default().trim().to_string();
    if k.is_empty() {
        return Err(invalid("Keyword can't be blank"));
    }
    Ok(k)
}

/// Checks `input` against the filter's current state and applies it (writes only after every
/// part was found valid).
fn apply(conn: &mut DbConnection, mut f: FullFilter, input: FilterInput) -> AppResult<FullFilter> {
    let row = &mut f.filter;
    if let Some(t) = input.title {
        row.title = t.trim().to_string();
    }
    if row.title.is_empty() {
        return Err(invalid("Title can't be blank"));
    }
    if let Some(c) = input.context {
        let parsed = parse_contexts(&c).ok_or_else(|| {
            invalid("Context can't be blank or includes values other than home, notifications, public, thread, account")
        })?;
        row.context = parsed
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(",");
    }
    if row.context.is_empty() {
        return Err(invalid("Context can't be blank"));
    }
    if let Some(a) = input.filter_action {
        let a: FilterAction = a
            .parse()
            .map_err(|_| invalid("Filter action is not one of warn, hide, blur"))?;
        row.filter_action = a.as_str().to_string();
    }
    match input.expires_in {
        Some(Some(secs)) if secs <= 0 => return Err(invalid("Expires in must be positive")),
        Some(Some(secs)) => row.expires_at = Some(now_ms() + secs.saturating_mul(1000)),
        Some(None) => row.expires_at = None,
        None => {}
    }
    let mut writes = Vec::new();
    for k in input.keywords {
        match k.id {
            Some(id) => {
                let mut existing = f
                    .keywords
                    .iter()
                    .find(|e| e.id == id)
                    .cloned()
                    .ok_or_else(not_found)?;
                if !k.destroy {
                    if k.keyword.is_some() {
                        existing.keyword = keyword_text(k.keyword)?;
                    }
                    existing.whole_word = k.whole_word.unwrap_or(existing.whole_word);
                }
                writes.push((existing, k.destroy, false));
            }
            None if k.destroy => {}
            None => {
                let row = db::filters::KeywordRow {
                    id: new_id(),
                    filter_id: f.filter.id.clone(),
                    keyword: keyword_text(k.keyword)?,
                    whole_word: k.whole_word.unwrap_or(true),
                    created_at: now_ms(),
                };
                writes.push((row, false, true));
            }
        }
    }
    for (k, destroy, new) in writes {
        match (destroy, new) {
            (true, _) => db::filters::delete_keyword(conn, &k.id)?,
            (false, true) => db::filters::insert_keyword(conn, &k)?,
            (false, false) => db::filters::update_keyword(conn, &k)?,
        }
    }
    Ok(f)
}

/// The member's filters (expired ones too, as Mastodon lists them).
pub async fn all(state: &AppState, me: String) -> AppResult<Vec<FullFilter>> {
    Ok(state
        .db
        .run(move |c| db::filters::of_user(c, &me, None))
        .await?)
}

/// One of the member's filters.
pub async fn get(state: &AppState, me: String, id: String) -> AppResult<FullFilter> {
    state.db.run(move |c| Ok(owned(c, &me, &id))).await?
}

/// Creates a filter (action `warn` unless said); keyword ids are refused with a 404.
pub async fn create(state: &AppState, me: String, input: FilterInput) -> AppResult<FullFilter> {
    if input.context.is_none() {
        return Err(invalid("Context can't be blank"));
    }
    state
        .db
        .tx(move |c| {
            let filter = db::filters::FilterRow {
                id: new_id(),
                user_id: me.clone(),
                title: String::new(),
                context: String::new(),
                filter_action: FilterAction::Warn.as_str().into(),
                expires_at: None,
                created_at: now_ms(),
            };
            let empty = FullFilter {
                filter,
                keywords: vec![],
                statuses: vec![],
            };
            // The row first, so keywords can refer to it; a refusal below rolls it back.
            db::filters::insert(c, &empty.filter)?;
            let f = apply(c, empty, input)?;
            db::filters::update(c, &f.filter)?;
            owned(c, &me, &f.filter.id)
        })
        .await
}

/// Changes a filter and its keywords.
pub async fn update(
    state: &AppState,
    me: String,
    id: String,
    input: FilterInput,
) -> AppResult<FullFilter> {
    state
        .db
        .tx(move |c| {
            let current = owned(c, &me, &id)?;
            let f = apply(c, current, input)?;
            db::filters::update(c, &f.filter)?;
            owned(c, &me, &id)
        })
        .await
}

/// Deletes a filter.
pub async fn delete(state: &AppState, me: String, id: String) -> AppResult<()> {
    state
        .db
        .tx(move |c| {
            owned(c, &me, &id)?;
            Ok::<_, AppError>(db::filters::delete(c, &id)?)
        })
        .await
}
