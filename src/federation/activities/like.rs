//! `Like`: a peer's favourite of a post known here is counted and its local author notified; a
//! local member's favourite (and its `Undo`) goes to the post's author and group.

use super::{actor_of, like_many, malformed};
use crate::{
    config::Config,
    db::{self, actors::ActorRow, interactions::InteractionRow, posts::PostRow, DbConnection},
    domain::{ids::new_id, time::now_ms},
    error::AppResult,
    federation::{
        outbound::deliver::{self, Gate},
        protocol::{activities::RawActivity, id_of},
    },
    service::{interactions, outbound::Received},
    state::Ctx,
    urls::Urls,
};
use serde_json::json;

/// Records the favourite when the post is known; unknown posts are ignored.
pub async fn receive(activity: RawActivity, ctx: &Ctx) -> AppResult<()> {
    let object = id_of(activity.object()).ok_or_else(|| malformed("Like without object"))?;
    let o = object.to_string();
    // Read with its author and group: whom to notify, and whether its group relays the vote.
    let known = ctx.db.run(move |c| db::posts::with_actors_by_ap_id(c, &o));
    let Some(post) = known.await? else {
        return Ok(());
    };
    let actor = actor_of(&activity, ctx).await?;
    if post.0.deleted_at.is_some() {
        return single(ctx, &actor.row, post, &activity).await;
    }
    // Inside the inbox: a favourite of a live post is stored with the others arriving now.
    let entry = |mark| like_many::Entry {
        row: InteractionRow {
            id: new_id(),
            actor_id: actor.row.id.clone(),
            post_id: post.0.id.clone(),
            ap_id: activity.id.to_string(),
            created_at: now_ms(),
        },
        post,
        received: Received(activity.to_value()),
        mark,
    };
    if ctx.like_batch.hand_over(ctx.app_data(), entry).await {
        return Ok(());
    }
    // Handed back: read again (what the batch held is gone), stored on its own.
    let o = object.to_string();
    let again = ctx.db.run(move |c| db::posts::with_actors_by_ap_id(c, &o));
    match again.await? {
        Some(post) => single(ctx, &actor.row, post, &activity).await,
        None => Ok(()),
    }
}

/// The favourite in a transaction of its own.
async fn single(
    ctx: &Ctx,
    actor: &ActorRow,
    post: db::posts::WithActors,
    activity: &RawActivity,
) -> AppResult<()> {
    interactions::receive(
        ctx,
        crate::db::interactions::Interaction::Favourite,
        actor,
        post,
        activity.id.as_str(),
        Some(Received(activity.to_value())),
    )
    .await
}

/// The remote actors who hear of an interaction with `post`: its author and its group.
pub fn interested(conn: &mut DbConnection, post: &PostRow) -> AppResult<Vec<ActorRow>> {
    let (author, group) = author_and_group(conn, post)?;
    Ok(remote(author, group))
}

/// The stored author and group of `post`.
fn author_and_group(
    conn: &mut DbConnection,
    post: &PostRow,
) -> AppResult<(Option<ActorRow>, Option<ActorRow>)> {
    let group = match &post.group_id {
        Some(g) => db::actors::by_id(conn, g)?,
        None => None,
    };
    Ok((db::actors::by_id(conn, &post.author_id)?, group))
}

/// The remote ones of `author` and `group`.
fn remote(author: Option<ActorRow>, group: Option<ActorRow>) -> Vec<ActorRow> {
    author
        .into_iter()
        .chain(group)
        .filter(|a| !a.local)
        .collect()
}

/// A member's favourite (`Like`, or its `Undo`): to the post's author and group only. A local
/// group passes it on to the nodes that follow it, so those hear it from the group alone.
pub fn send(
    conn: &mut DbConnection,
    config: &Config,
    me: &ActorRow,
    post: &PostRow,
    ids: (&str, &str),
    undo: bool,
) -> AppResult<()> {
    let (author, group) = author_and_group(conn, post)?;
    let mut to = remote(author, group.clone());
    crate::federation::outbound::without_relayed(conn, group.as_ref(), &mut to)?;
    interaction(
        conn,
        config,
        me,
        post,
        "Like",
        ids,
        undo,
        (vec![], vec![]),
        &to,
    )
}

/// Builds, records and queues an interaction of `kind` with `post` (or its `Undo`) for the peers
/// that may see the post.
#[allow(clippy::too_many_arguments)]
pub fn interaction(
    conn: &mut DbConnection,
    config: &Config,
    me: &ActorRow,
    post: &PostRow,
    kind: &str,
    (activity_id, ap_id): (&str, &str),
    undo: bool,
    (to, cc): (Vec<String>, Vec<String>),
    recipients: &[ActorRow],
) -> AppResult<()> {
    let urls = Urls::new(config);
    let public = kind == "Announce";
    let activity = if undo {
        let inner = json!({"id": ap_id, "type": kind, "actor": me.ap_id, "object": post.ap_id});
        deliver::build(&urls, None, "Undo", me, inner, to, cc, Default::default())
    } else {
        let object = json!(post.ap_id);
        let id = Some(activity_id.to_string());
        deliver::build(&urls, id, kind, me, object, to, cc, Default::default())
    };
    deliver::publish(
        conn,
        config,
        me,
        &activity,
        recipients,
        Gate::Post(post),
        public,
    )?;
    // A local group passes its members' votes on to its followers, as Lemmy communities do.
    let group = match (&post.group_id, kind) {
        (Some(g), "Like") => db::actors::by_id(conn, g)?.filter(|g| g.local),
        _ => None,
    };
    if let Some(g) = group {
        super::announce::relay(conn, config, &g, &activity.json, Some(post), false)?;
    }
    Ok(())
}
