//! Favourites (Like) and reblogs (a member's Announce): local actions, their federation, and what
//! arrives from peers. The post's author is notified when the audience rule lets them see it.

use crate::domain::ids::{ActorId, PostId};
use crate::{
    db::{
        self,
        actors::ActorRow,
        interactions::{Interaction, InteractionRow},
        posts::{PostRow, WithActors},
    },
    domain::{ids::new_id, time::now_ms},
    error::AppResult,
    service::{
        notifications,
        outbound::{commit, commit_completing, InTx, Intents, Outbound, Received},
    },
    state::Ctx,
    urls::Urls,
};

/// A member favourites (Like) or boosts (Announce) a post. Idempotent: an existing one is
/// returned unchanged.
pub async fn add(
    ctx: &Ctx,
    kind: Interaction,
    me: &ActorRow,
    post: &PostRow,
) -> AppResult<InteractionRow> {
    let id = new_id();
    let row = InteractionRow {
        id: id.clone(),
        actor_id: me.id.clone(),
        post_id: post.id.clone(),
        ap_id: Urls::new(&ctx.config).activity(&id),
        created_at: now_ms(),
    };
    let post = post.clone();
    commit(ctx.app_data(), move |c, out| {
        if let Some(existing) = db::interactions::find(c, kind, &row.actor_id, &post.id)? {
            return Ok(existing);
        }
        if !db::interactions::add(c, kind, &row)? {
            return Ok(row);
        }
        let (author, me) = (&post.author_id, &row.actor_id);
        notifications::raise(c, out, author, kind.notification(), me, Some(&post))?;
        out.emit(Outbound::Interaction {
            kind,
            actor_id: ActorId(row.actor_id.clone()),
            post_id: PostId(post.id.clone()),
            activity_id: row.id.clone(),
            ap_id: row.ap_id.clone(),
            undo: false,
        });
        Ok(row)
    })
    .await
}

/// A member takes back a favourite or boost (Undo); nothing happens when there is none.
pub async fn remove(ctx: &Ctx, kind: Interaction, me: &ActorRow, post: &PostRow) -> AppResult<()> {
    let (me, post_id) = (me.id.clone(), post.id.clone());
    commit(ctx.app_data(), move |c, out| {
        let Some(existing) = db::interactions::find(c, kind, &me, &post_id)? else {
            return Ok(());
        };
        db::interactions::remove(c, kind, &me, &post_id)?;
        out.emit(Outbound::Interaction {
            kind,
            actor_id: ActorId(me),
            post_id: PostId(post_id),
            activity_id: new_id(),
            ap_id: existing.ap_id,
            undo: true,
        });
        Ok(())
    })
    .await
}

/// A peer's Like or member boost of a post known here (not of a deleted one), read with its author
/// and group; a local author is notified once. It completes the activity: the inbox's mark
/// commits with it.
pub async fn receive(
    ctx: &Ctx,
    kind: Interaction,
    actor: &ActorRow,
    (post, author, group): WithActors,
    ap_id: &str,
    relayed: Option<Received>,
) -> AppResult<()> {
    if post.deleted_at.is_some() {
        tracing::debug!(post = %post.ap_id, "interaction with a deleted post; ignored");
        return Ok(());
    }
    let row = InteractionRow {
        id: new_id(),
        actor_id: actor.id.clone(),
        post_id: post.id.clone(),
        ap_id: ap_id.to_string(),
        created_at: now_ms(),
    };
    commit_completing(ctx.app_data(), move |c, out| {
        if !db::interactions::add(c, kind, &row)? {
            return Ok(());
        }
        // A remote author has no member here to notify.
        if author.local {
            let (author, from) = (&post.author_id, &row.actor_id);
            notifications::raise(c, out, author, kind.notification(), from, Some(&post))?;
        }
        if let Some(activity) = relayed {
            relay_in_group(out, Some((post, author, group)), activity);
        }
        Ok(())
    })
    .await
}

/// A local group passes a peer's vote on one of its posts (or its `Undo`) on to its followers
/// (FEP-1b12, as Lemmy communities do, so every follower's server counts it).
pub fn relay_in_group(out: &mut Intents, again: Option<WithActors>, activity: Received) {
    let Some((post, _, Some(group))) = again else {
        return;
    };
    if group.local {
        let (g, p) = (InTx::Row(Box::new(group)), Some(InTx::Row(Box::new(post))));
        crate::service::groups::relay_in(out, g, activity, p, false);
    }
}

/// Takes back a peer's favourite or reblog (`Undo` of the activity `ap_id`, or else of the
/// actor's interaction with the post `post_ap_id`); a local group passes the `Undo` of a
/// favourite on as it passed the like.
pub async fn receive_undo(
    ctx: &Ctx,
    kind: Interaction,
    actor: &ActorRow,
    (ap_id, post_ap_id): (&str, Option<String>),
    relayed: Received,
) -> AppResult<()> {
    let (ap_id, actor_id) = (ap_id.to_string(), actor.id.clone());
    commit(ctx.app_data(), move |c, out| {
        let (post, removed) = match db::interactions::post_of(c, kind, &ap_id, &actor_id)? {
            Some(post) => {
                let removed = db::interactions::remove_by_ap_id(c, kind, &ap_id, &actor_id)?;
                (Some(post), removed)
            }
            // Not known by that id: the actor's favourite or boost of the post the undone
            // activity names (one per actor and post).
            None => match post_ap_id.map(|u| db::posts::by_ap_id(c, &u)).transpose()? {
                Some(Some(post)) => {
                    let removed = db::interactions::remove(c, kind, &actor_id, &post.id)?;
                    (Some(post), removed)
                }
                _ => (None, false),
            },
        };
        if let (Some(post), true, Interaction::Favourite) = (post, removed, kind) {
            if post.group_id.is_some() {
                relay_in_group(out, db::posts::with_actors(c, &post.id)?, relayed);
            }
        }
        Ok(())
    })
    .await
}

/// A member bookmarks a post (`on`) or takes the bookmark away; a private mark, never federated.
pub async fn bookmark(ctx: &Ctx, me: &ActorRow, post: &PostRow, on: bool) -> AppResult<()> {
    let (u, p) = (me.id.clone(), post.id.clone());
    ctx.db
        .run(move |c| {
            if on {
                db::interactions::add_bookmark(c, &new_id(), &u, &p, now_ms())
            } else {
                db::interactions::remove_bookmark(c, &u, &p)
            }
        })
        .await?;
    Ok(())
}
