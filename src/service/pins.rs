//! Pinning: a member shows up to [`MAX_PINS`] of their own public or unlisted posts on their
//! profile (Mastodon's pinned statuses, the actor's `featured` collection); followers' nodes hear
//! `Add`/`Remove`. Peers' pins arrive through `receive_pin`. Featured hashtags are here too.

use crate::{
    db::{self, actors::ActorRow, pins::FeaturedTagRow, posts::PostRow},
    domain::{
        audience::PostVisibility,
        ids::{new_id, new_ordered_id, ActorId, PostId},
        names,
        time::now_ms,
    },
    error::{AppError, AppResult},
    service::{
        outbound::{commit, Outbound},
        visibility::{Sight, Viewer},
    },
    state::AppState,
};

/// How many posts a member may pin (as Mastodon).
pub const MAX_PINS: i64 = 5;

/// How many hashtags a member may feature (as Mastodon).
pub const MAX_FEATURED_TAGS: usize = 10;

fn not_found() -> AppError {
    AppError::NotFound("Record not found".into())
}

/// A post `me` may see, by local id (404 otherwise, like a missing one).
fn seen_post(c: &mut db::DbConnection, me: &ActorRow, id: &str) -> AppResult<PostRow> {
    let post = db::posts::by_id(c, id)?.ok_or_else(not_found)?;
    if !Sight::new(Viewer::Local(me.id.clone())).may_see(c, &post)? {
        return Err(not_found());
    }
    Ok(post)
}

/// `me` pins one of their own public or unlisted posts. Pinning a pinned post changes nothing.
pub async fn pin(state: &AppState, me: &ActorRow, post_id: &str) -> AppResult<PostRow> {
    let (me, id) = (me.clone(), post_id.to_string());
    commit(state, move |c, out| {
        let post = seen_post(c, &me, &id)?;
        if post.author_id != me.id {
            return Err(AppError::Unprocessable(
                "Validation failed: Someone else's post cannot be pinned".into(),
            ));
        }
        if !matches!(
            post.visibility,
            PostVisibility::Public | PostVisibility::Unlisted
        ) {
            return Err(AppError::Unprocessable(
                "Validation failed: Non-public posts cannot be pinned".into(),
            ));
        }
        if !db::pins::pinned_among(c, &[post.id.as_str()])?.is_empty() {
            return Ok(post);
        }
        if db::pins::count(c, &me.id)? >= MAX_PINS {
            return Err(AppError::Unprocessable(format!(
                "Validation failed: Maximum number of pinned posts ({MAX_PINS}) already reached"
            )));
        }
        db::pins::pin(c, &new_ordered_id(), &me.id, &post.id, now_ms())?;
        out.emit(Outbound::Pin {
            actor_id: ActorId(me.id.clone()),
            post_id: PostId(post.id.clone()),
            added: true,
        });
        Ok(post)
    })
    .await
}

/// `me` unpins one of their own posts (unpinning a post that is not pinned changes nothing).
pub async fn unpin(state: &AppState, me: &ActorRow, post_id: &str) -> AppResult<PostRow> {
    let (me, id) = (me.clone(), post_id.to_string());
    commit(state, move |c, out| {
        let post = seen_post(c, &me, &id)?;
        if post.author_id != me.id {
            return Err(AppError::Unprocessable(
                "Validation failed: Someone else's post cannot be unpinned".into(),
            ));
        }
        if db::pins::unpin(c, &post.id)? {
            out.emit(Outbound::Pin {
                actor_id: ActorId(me.id.clone()),
                post_id: PostId(post.id.clone()),
                added: false,
            });
        }
        Ok(post)
    })
    .await
}

/// The posts `author_id` pinned, as `viewer` may see them, newest pin first.
pub async fn pinned(state: &AppState, viewer: Viewer, author_id: &str) -> AppResult<Vec<PostRow>> {
    let a = author_id.to_string();
    Ok(state
        .db
        .run(move |c| {
            let rows = db::pins::pinned(c, &a)?;
            Sight::new(viewer).retain(c, rows)
        })
        .await?)
}

/// A peer's member pinned (`Add`) or unpinned (`Remove`) one of their own posts stored here.
pub async fn receive_pin(
    state: &AppState,
    actor: &ActorRow,
    post: &PostRow,
    added: bool,
) -> AppResult<()> {
    if actor.local || post.author_id != actor.id {
        return Err(AppError::Forbidden(
            "only an account's own node may pin its own posts".into(),
        ));
    }
    let (aid, pid) = (actor.id.clone(), post.id.clone());
    state
        .db
        .run(move |c| {
            if added {
                db::pins::pin(c, &new_ordered_id(), &aid, &pid, now_ms()).map(|_| ())
            } else {
                db::pins::unpin(c, &pid).map(|_| ())
            }
        })
        .await?;
    Ok(())
}

/// A featured hashtag with its use by the member: (row, posts using it, newest use).
pub type FeaturedTag = (FeaturedTagRow, i64, Option<i64>);

/// The hashtags `actor_id` features, with their use.
pub async fn featured_tags(state: &AppState, actor_id: &str) -> AppResult<Vec<FeaturedTag>> {
    let a = actor_id.to_string();
    Ok(state
        .db
        .run(move |c| {
            let mut out = Vec::new();
            for row in db::pins::featured_tags(c, &a)? {
                let (n, last) = db::pins::tag_use(c, &a, &row.name)?;
                out.push((row, n, last));
            }
            Ok::<_, db::DbError>(out)
        })
        .await?)
}

/// `me` features hashtag `name` (with or without `#`).
pub async fn feature_tag(state: &AppState, me: &ActorRow, name: &str) -> AppResult<FeaturedTag> {
    let name = names::normalize_hashtag(name.trim_start_matches('#')).ok_or_else(|| {
        AppError::Unprocessable(format!(
            "Validation failed: {name:?} is not a valid hashtag"
        ))
    })?;
    let row = FeaturedTagRow {
        id: new_id(),
        actor_id: me.id.clone(),
        name,
        created_at: now_ms(),
    };
    state
        .db
        .tx(move |c| {
            let existing = db::pins::featured_tags(c, &row.actor_id)?;
            if existing.iter().any(|t| t.name == row.name) {
                return Err(AppError::Unprocessable(
                    "Validation failed: this hashtag is featured already".into(),
                ));
            }
            if existing.len() >= MAX_FEATURED_TAGS {
                return Err(AppError::Unprocessable(format!(
                    "Validation failed: at most {MAX_FEATURED_TAGS} hashtags can be featured"
                )));
            }
            db::pins::feature_tag(c, &row)?;
            let (n, last) = db::pins::tag_use(c, &row.actor_id, &row.name)?;
            Ok((row, n, last))
        })
        .await
}

/// `me` stops featuring the hashtag `id`; 404 when it is not theirs.
pub async fn unfeature_tag(state: &AppState, me: &ActorRow, id: &str) -> AppResult<()> {
    let (a, i) = (me.id.clone(), id.to_string());
    if !state
        .db
        .run(move |c| db::pins::unfeature_tag(c, &a, &i))
        .await?
    {
        return Err(not_found());
    }
    Ok(())
}

/// Hashtags `me` used most lately and does not feature yet.
pub async fn suggested_tags(state: &AppState, me: &ActorRow) -> AppResult<Vec<String>> {
    let a = me.id.clone();
    Ok(state
        .db
        .run(move |c| {
            let featured = db::pins::featured_tags(c, &a)?;
            let mut used = db::pins::most_used_tags(c, &a, 20)?;
            used.retain(|n| !featured.iter().any(|f| &f.name == n));
            used.truncate(10);
            Ok::<_, db::DbError>(used)
        })
        .await?)
}
