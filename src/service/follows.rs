//! Following: a member follows (joins) a group or another member, here or on a peer, and leaves.

use crate::domain::ids::ActorId;
use crate::{
    db::{self, actors::ActorRow, follows::FollowRow},
    domain::{ids::new_id, names, time::now_ms},
    error::{AppError, AppResult},
    service::{
        groups,
        outbound::{commit, Outbound},
        users,
    },
    state::Ctx,
    urls::Urls,
};

/// Finds an actor by `@name@host`: locally when the host is this node, else a recently fetched
/// copy, else through the remote port (WebFinger and a signed fetch, both subject to the peer
/// policy).
pub async fn resolve_handle(ctx: &Ctx, handle: &str) -> AppResult<ActorRow> {
    let (name, host) = names::parse_handle(handle).ok_or_else(|| {
        AppError::BadRequest(format!("{handle:?} is not a handle like @name@host"))
    })?;
    if host == ctx.config.instance.domain.to_ascii_lowercase() {
        let n = name.clone();
        return ctx
            .db
            .run(move |c| db::actors::local_by_username(c, &n))
            .await?
            .ok_or_else(|| AppError::NotFound(format!("no local actor named {name}")));
    }
    // A peer's actor fetched in the last day is used as stored (a post's mentions, say).
    let (n, h) = (name.clone(), host.clone());
    let known = ctx
        .db
        .run(move |c| db::actors::remote_by_handle(c, &n, &h))
        .await?
        .filter(|a| now_ms() - a.last_refreshed_at < FRESH_MS);
    if let Some(actor) = known {
        return Ok(actor);
    }
    ctx.remote.actor_by_handle(ctx, &name, &host).await
}

/// How long a stored copy of a peer's actor is used without asking its node again.
const FRESH_MS: i64 = 24 * 3600 * 1000;

/// Follows (joins) an actor, usually a group, by handle. Returns the follow's state.
pub async fn follow(ctx: &Ctx, member: &str, handle: &str) -> AppResult<String> {
    let me = users::member(ctx.app_data(), member).await?;
    let target = resolve_handle(ctx, handle).await?;
    follow_actor(ctx, &me, &target).await
}

/// Follows (joins) a known actor. Returns the follow's state (`pending`/`accepted`, or `rejected`).
pub async fn follow_actor(ctx: &Ctx, me: &ActorRow, target: &ActorRow) -> AppResult<String> {
    if target.id == me.id {
        return Err(AppError::Unprocessable(
            "members cannot follow themselves".into(),
        ));
    }
    if target.kind == "Organization" {
        return Err(AppError::Unprocessable(
            "the organization actor cannot be followed".into(),
        ));
    }
    let activity_ap_id = Urls::new(&ctx.config).activity(&new_id());
    if target.local {
        groups::receive_follow(ctx, me, target, &activity_ap_id).await?;
    } else {
        let row = FollowRow {
            id: new_id(),
            follower_id: me.id.clone(),
            target_id: target.id.clone(),
            activity_ap_id,
            state: db::follows::FollowState::Pending,
            created_at: now_ms(),
            notify: false,
        };
        commit(ctx.app_data(), move |c, out| {
            if db::blocks::between(c, &row.follower_id, &row.target_id)? {
                return Err(AppError::Forbidden(
                    "you cannot follow an account that blocks you or that you block".into(),
                ));
            }
            db::follows::upsert(c, &row)?;
            out.emit(Outbound::Follow {
                follower_id: ActorId(row.follower_id.clone()),
                target_id: ActorId(row.target_id.clone()),
            });
            Ok(())
        })
        .await?;
    }
    let (a, b) = (me.id.clone(), target.id.clone());
    Ok(ctx
        .db
        .run(move |c| db::follows::by_pair(c, &a, &b))
        .await?
        .map(|f| f.state.to_string())
        .unwrap_or_else(|| "rejected".into()))
}

/// Follows a known actor unless already following it, and turns notifications of its new posts
/// on or off when `notify` says so (the client API's follow).
pub async fn follow_with(
    ctx: &Ctx,
    me: &ActorRow,
    target: &ActorRow,
    notify: Option<bool>,
) -> AppResult<()> {
    let (a, b) = (me.id.clone(), target.id.clone());
    let existing = ctx.db.run(move |c| db::follows::by_pair(c, &a, &b)).await?;
    if existing.is_none_or(|f| f.state != db::follows::FollowState::Accepted) {
        follow_actor(ctx, me, target).await?;
    }
    if let Some(notify) = notify {
        let (a, b) = (me.id.clone(), target.id.clone());
        ctx.db
            .run(move |c| db::follows::set_notify(c, &a, &b, notify))
            .await?;
    }
    Ok(())
}

/// Leaves a group (Undo(Follow)), by handle.
pub async fn unfollow(ctx: &Ctx, member: &str, handle: &str) -> AppResult<()> {
    let me = users::member(ctx.app_data(), member).await?;
    let target = resolve_handle(ctx, handle).await?;
    if !unfollow_actor(ctx, &me, &target).await? {
        return Err(AppError::NotFound(format!(
            "{member} does not follow {handle}"
        )));
    }
    Ok(())
}

/// Stops following a known actor; returns whether a follow existed.
pub async fn unfollow_actor(ctx: &Ctx, me: &ActorRow, target: &ActorRow) -> AppResult<bool> {
    let (me, target) = (me.clone(), target.clone());
    commit(ctx.app_data(), move |c, out| {
        let Some(follow) = db::follows::by_pair(c, &me.id, &target.id)? else {
            return Ok(false);
        };
        db::follows::delete(c, &follow.id)?;
        // As on Mastodon, an account no longer followed leaves the member's lists.
        db::lists::remove_everywhere(c, &me.id, &target.id)?;
        if !target.local {
            out.emit(Outbound::Unfollow {
                follower_id: ActorId(me.id.clone()),
                target_id: ActorId(target.id.clone()),
                follow_ap_id: follow.activity_ap_id,
            });
        }
        Ok(true)
    })
    .await
}

/// Removes `follower` from `me`'s followers (a follow request too): a follower on a peer hears
/// `Reject{Follow}`, as from Mastodon, and its node forgets the follow; a follower here loses `me`
/// from their lists. Returns whether `follower` followed.
pub async fn remove_follower(ctx: &Ctx, me: &ActorRow, follower: &ActorRow) -> AppResult<bool> {
    let (me, follower) = (me.clone(), follower.clone());
    commit(ctx.app_data(), move |c, out| {
        let Some(follow) = db::follows::by_pair(c, &follower.id, &me.id)? else {
            return Ok(false);
        };
        super::follow_requests::settle(c, out, follow, false)?;
        db::lists::remove_everywhere(c, &follower.id, &me.id)?;
        Ok(true)
    })
    .await
}
