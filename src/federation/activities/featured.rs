//! `Add` / `Remove` to an account's `featured` collection (pinned posts, as Mastodon sends them):
//! a local member's pins go to their followers, a peer's member's pins are stored here.

use super::actor_of;
use crate::{
    config::Config,
    db::{self, DbConnection},
    error::{AppError, AppResult},
    federation::{
        jsonld::PUBLIC,
        objects::post::DbPost,
        outbound::{
            self, address,
            deliver::{self, Gate},
        },
        protocol::{
            activities::{RawActivity, Verb},
            id_of,
        },
        urls::{self, Urls},
    },
    service::{pins, visibility::Sight},
    state::Ctx,
};
use activitypub_federation::fetch::object_id::ObjectId;
use serde_json::{json, Map};

/// The path of an actor's featured collection under its id.
pub const FEATURED: &str = "collections/featured";

/// Whether an `Add`/`Remove` is about its actor's own featured collection.
pub fn is_featured(activity: &RawActivity) -> bool {
    let target = activity.rest.get("target").and_then(id_of);
    target.is_some_and(|t| t.as_str() == urls::sub(activity.actor.as_str(), FEATURED))
}

/// A peer's member pinned or unpinned one of their posts: the post is read (from here, or
/// fetched from its origin) and the pin stored.
pub async fn receive(activity: RawActivity, ctx: &Ctx) -> AppResult<()> {
    let actor = actor_of(&activity, ctx).await?;
    let object = id_of(activity.object())
        .ok_or_else(|| AppError::Unprocessable("Add/Remove without object".into()))?;
    if object.origin() != activity.actor.origin() {
        return Err(AppError::Forbidden(
            "only an account's own posts can be featured by it".into(),
        ));
    }
    let post = ObjectId::<DbPost>::from(object).dereference(ctx).await?;
    let added = activity.kind == Verb::Add;
    pins::receive_pin(ctx.app_data(), &actor.row, &post.row, added).await
}

/// A local member pinned (`added`) or unpinned a post: `Add`/`Remove` to their followers that
/// may see the post, addressed like the post.
pub fn send(
    conn: &mut DbConnection,
    config: &Config,
    actor_id: &str,
    post_id: &str,
    added: bool,
) -> AppResult<()> {
    let urls = Urls::new(config);
    let actor = outbound::actor(conn, actor_id)?;
    let post = outbound::post(conn, post_id)?;
    let audience =
        Sight::new(crate::service::visibility::Viewer::Anonymous).audience(conn, &post)?;
    let group = match &post.group_id {
        Some(g) => Some(outbound::actor(conn, g)?.ap_id),
        None => None,
    };
    let (to, cc) = address::of_post(&audience, &actor.ap_id, group.as_deref(), &[]);
    let public = to.iter().chain(&cc).any(|u| u == PUBLIC);
    let mut extra = Map::new();
    extra.insert("target".into(), json!(urls::sub(&actor.ap_id, FEATURED)));
    let kind = if added { "Add" } else { "Remove" };
    let activity = deliver::build(&urls, None, kind, &actor, json!(post.ap_id), to, cc, extra);
    let followers = db::follows::remote_followers(conn, &actor.id)?;
    deliver::publish(
        conn,
        config,
        &actor,
        &activity,
        &followers,
        Gate::Post(&post),
        public,
    )?;
    Ok(())
}
