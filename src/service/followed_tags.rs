//! Followed hashtags: a member follows a hashtag and its public posts come to their home
//! timeline (through the audience rule, like every post there).
//!
//! Uses `db` and `domain` only.

use crate::{
    db::{self, Keys},
    domain::{ids::new_id, names::normalize_hashtag, time::now_ms},
    error::{AppError, AppResult},
    state::AppState,
};

/// The hashtag `name` names (without `#`, lowercase), or a 404 as for an unknown hashtag.
pub fn hashtag(name: &str) -> AppResult<String> {
    normalize_hashtag(name).ok_or_else(|| AppError::NotFound("Record not found".into()))
}

/// `me` follows (`follow`) or stops following the hashtag `name`; doing it twice changes
/// nothing. Answers the hashtag's normalized name.
pub async fn set(state: &AppState, me: String, name: &str, follow: bool) -> AppResult<String> {
    let name = hashtag(name)?;
    let n = name.clone();
    state
        .db
        .tx(move |c| {
            if follow {
                db::followed_tags::follow(c, &new_id(), &me, &n, now_ms())
            } else {
                db::followed_tags::unfollow(c, &me, &n)
            }
        })
        .await?;
    Ok(name)
}

/// A page of the hashtags `me` follows: `(follow id, name)`, newest follow first.
pub async fn page(
    state: &AppState,
    me: String,
    max: Option<String>,
    min: Option<String>,
    ascending: bool,
    limit: i64,
) -> AppResult<Vec<(String, String)>> {
    Ok(state
        .db
        .run(move |c| {
            let keys = Keys {
                max: max.as_deref(),
                min: min.as_deref(),
                ascending,
                limit,
            };
            db::followed_tags::page(c, &me, keys)
        })
        .await?)
}
