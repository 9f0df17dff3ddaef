//! A member's lists: named sets of accounts they follow (people or groups), each read as its own
//! timeline and stream. Lists are private to their owner: another member's list answers as a
//! missing one. An exclusive list's accounts leave the home timeline (`db::posts::home`).
//!
//! Uses `db` and `domain`; the timeline's posts pass the audience rule (`visibility::Sight`).

mod timeline;

pub use timeline::{is_from, shows, timeline};

use crate::{
    db::{self, actors::ActorRow, lists::ListRow, DbConnection},
    domain::{follow::FollowState, ids::new_id, time::now_ms},
    error::{AppError, AppResult},
    state::AppState,
};

/// Which replies a list shows besides replies to its owner and self-replies.
pub const REPLIES_POLICIES: [&str; 3] = ["followed", "list", "none"];

/// What a client may set on a list; `None` keeps the stored value (or the default).
#[derive(Debug, Default, Clone)]
pub struct ListInput {
    pub title: Option<String>,
    pub replies_policy: Option<String>,
    pub exclusive: Option<bool>,
}

fn not_found() -> AppError {
    AppError::NotFound("Record not found".into())
}

/// A list of `me`'s, or the 404 a missing one gets.
pub(crate) fn owned(conn: &mut DbConnection, me: &str, id: &str) -> AppResult<ListRow> {
    db::lists::get(conn, me, id)?.ok_or_else(not_found)
}

/// Applies `input` to `row`, refusing a blank title or an unknown replies policy.
fn apply(row: &mut ListRow, input: ListInput) -> AppResult<()> {
    if let Some(title) = input.title {
        row.title = title.trim().to_string();
    }
    if row.title.is_empty() {
        return Err(AppError::Unprocessable(
            "Validation failed: Title can't be blank".into(),
        ));
    }
    if row.title.chars().count() > 256 {
        return Err(AppError::Unprocessable(
            "Validation failed: Title is too long (maximum is 256 characters)".into(),
        ));
    }
    if let Some(policy) = input.replies_policy {
        if !REPLIES_POLICIES.contains(&policy.as_str()) {
            return Err(AppError::Unprocessable(format!(
                "Validation failed: Replies policy {policy:?} is not one of followed, list, none"
            )));
        }
        row.replies_policy = policy;
    }
    if let Some(exclusive) = input.exclusive {
        row.exclusive = exclusive;
    }
    Ok(())
}

/// The member's lists, oldest first.
pub async fn all(state: &AppState, me: String) -> AppResult<Vec<ListRow>> {
    Ok(state.db.run(move |c| db::lists::of_user(c, &me)).await?)
}

/// One of the member's lists.
pub async fn get(state: &AppState, me: String, id: String) -> AppResult<ListRow> {
    state.db.run(move |c| Ok(owned(c, &me, &id))).await?
}

/// Creates a list (replies policy `list` and not exclusive unless said otherwise).
pub async fn create(state: &AppState, me: String, input: ListInput) -> AppResult<ListRow> {
    let mut row = ListRow {
        id: new_id(),
        user_id: me,
        title: String::new(),
        replies_policy: "list".into(),
        exclusive: false,
        created_at: now_ms(),
    };
    apply(&mut row, input)?;
    let stored = row.clone();
    state.db.tx(move |c| db::lists::insert(c, &stored)).await?;
    Ok(row)
}

/// Changes a list's title, replies policy or exclusiveness.
pub async fn update(
    state: &AppState,
    me: String,
    id: String,
    input: ListInput,
) -> AppResult<ListRow> {
    state
        .db
        .tx(move |c| {
            let mut row = owned(c, &me, &id)?;
            apply(&mut row, input)?;
            db::lists::update(c, &row)?;
            Ok(row)
        })
        .await
}

/// Deletes a list.
pub async fn delete(state: &AppState, me: String, id: String) -> AppResult<()> {
    state
        .db
        .tx(move |c| {
            owned(c, &me, &id)?;
            Ok::<_, AppError>(db::lists::delete(c, &id)?)
        })
        .await
}

/// A page of the accounts on a list (`limit` 0 means all of them, as on Mastodon).
pub async fn accounts(
    state: &AppState,
    me: String,
    id: String,
    max: Option<String>,
    min: Option<String>,
    limit: i64,
) -> AppResult<Vec<ActorRow>> {
    let limit = (limit > 0).then_some(limit);
    state
        .db
        .run(move |c| {
            if db::lists::get(c, &me, &id)?.is_none() {
                return Ok(None);
            }
            db::lists::accounts_page(c, &id, max.as_deref(), min.as_deref(), limit).map(Some)
        })
        .await?
        .ok_or_else(not_found)
}

/// Puts accounts the member follows on a list; all of them or none: an unknown account is a
/// 404, one the member does not follow (or has only asked to follow) a 422.
pub async fn add(
    state: &AppState,
    me: String,
    id: String,
    account_ids: Vec<String>,
) -> AppResult<()> {
    if account_ids.is_empty() {
        return Err(AppError::Unprocessable(
            "Validation failed: account_ids can't be blank".into(),
        ));
    }
    state
        .db
        .tx(move |c| {
            owned(c, &me, &id)?;
            for a in &account_ids {
                if db::actors::by_id(c, a)?.is_none() {
                    return Err(not_found());
                }
                let follows = db::follows::by_pair(c, &me, a)?;
                if !follows.is_some_and(|f| f.state == FollowState::Accepted) {
                    return Err(AppError::Unprocessable(
                        "Validation failed: Account must be followed to be added to a list".into(),
                    ));
                }
            }
            Ok(db::lists::add_accounts(c, &id, &account_ids)?)
        })
        .await
}

/// Takes accounts off a list.
pub async fn remove(
    state: &AppState,
    me: String,
    id: String,
    account_ids: Vec<String>,
) -> AppResult<()> {
    state
        .db
        .tx(move |c| {
            owned(c, &me, &id)?;
            Ok::<_, AppError>(db::lists::remove_accounts(c, &id, &account_ids)?)
        })
        .await
}

/// The member's lists that hold an account.
pub async fn holding(state: &AppState, me: String, account_id: String) -> AppResult<Vec<ListRow>> {
    state
        .db
        .run(move |c| {
            if db::actors::by_id(c, &account_id)?.is_none() {
                return Ok(None);
            }
            db::lists::holding(c, &me, &account_id).map(Some)
        })
        .await?
        .ok_or_else(not_found)
}
