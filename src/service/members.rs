//! What a member does, by use case: following (`follows`), posting (`posting`), changing posts
//! (`editing`), the profile (`profile`); here, the member's own group timeline for the CLI.

use crate::{
    db::{self, actors::ActorRow, posts::PostRow},
    error::AppResult,
    service::users,
    state::AppState,
};

pub use super::editing::{delete, edit, edit_post, PostEdit};
pub use super::follows::{follow, follow_actor, resolve_handle, unfollow, unfollow_actor};
pub use super::posting::{post, publish_post, text_to_html, NewPoll, NewPost};
pub use super::profile::{update_profile, Profile};

/// A member's timeline entry: the post, its author and its group.
pub struct TimelineEntry {
    pub post: PostRow,
    pub author: ActorRow,
    pub group: Option<ActorRow>,
}

/// Newest posts in the groups a member belongs to.
pub async fn timeline(state: &AppState, member: &str, limit: i64) -> AppResult<Vec<TimelineEntry>> {
    let me = users::member(state, member).await?;
    Ok(state
        .db
        .run(move |c| {
            let posts = db::posts::timeline(c, &me.id, limit)?;
            posts
                .into_iter()
                .map(|p| {
                    let author =
                        db::actors::by_id(c, &p.author_id)?.ok_or(db::DbError::NotFound)?;
                    let group = match &p.group_id {
                        Some(g) => db::actors::by_id(c, g)?,
                        None => None,
                    };
                    Ok(TimelineEntry {
                        post: p,
                        author,
                        group,
                    })
                })
                .collect()
        })
        .await?)
}
