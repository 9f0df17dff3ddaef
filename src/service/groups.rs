//! Working groups (FEP-1b12): creation, membership (Follow → Accept/Reject, approval queue),
//! and the group's job of checking members' activities and announcing them to its followers.

use crate::domain::ids::{ActorId, PostId};
use crate::{
    db::{self, actors::ActorRow, follows::FollowRow},
    domain::{
        actor::ActorKind, ids::new_id, notification::NotificationKind, policy::Visibility,
        time::now_ms,
    },
    error::{AppError, AppResult},
    service::{
        notifications,
        outbound::{commit, Outbound, Received},
        users::{self, NewLocalActor},
        visibility::{self, Sight, Viewer},
    },
    state::{AppState, Ctx},
};

/// Options for a new group.
pub struct NewGroup {
    pub name: String,
    pub display_name: Option<String>,
    pub summary: Option<String>,
    /// Follows wait for a moderator's decision.
    pub approval_required: bool,
    pub visibility: Visibility,
    /// A local member who moderates the group from the start.
    pub moderator: Option<String>,
}

/// Creates a local group.
pub async fn create_group(state: &AppState, spec: NewGroup) -> AppResult<ActorRow> {
    let name = spec.name.clone();
    if state
        .db
        .run(move |c| db::actors::local_by_username(c, &name))
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "the name {} is taken",
            spec.name
        )));
    }
    let moderator = match &spec.moderator {
        Some(m) => Some(users::member(state, m).await?),
        None => None,
    };
    let row = users::new_local_actor(
        state,
        NewLocalActor {
            kind: ActorKind::Group,
            name: &spec.name,
            display_name: spec.display_name.as_deref().unwrap_or(&spec.name),
            summary: &crate::domain::sanitize::escape(spec.summary.as_deref().unwrap_or("")),
            manually_approves: spec.approval_required,
            visibility: spec.visibility,
        },
    )
    .await?;
    let r = row.clone();
    state
        .db
        .run(move |c| {
            db::actors::insert(c, &r)?;
            if let Some(m) = moderator {
                db::actors::add_moderator(c, &r.id, &m.id, now_ms())?;
                // A moderator is a member.
                let follow = FollowRow {
                    id: new_id(),
                    follower_id: m.id.clone(),
                    target_id: r.id.clone(),
                    activity_ap_id: format!("{}#moderator-{}", r.ap_id, m.username),
                    state: db::follows::FollowState::Accepted,
                    created_at: now_ms(),
                    notify: false,
                };
                db::follows::upsert(c, &follow)?;
            }
            Ok(())
        })
        .await?;
    Ok(row)
}

/// Every local group.
pub async fn list_groups(state: &AppState) -> AppResult<Vec<(ActorRow, i64)>> {
    Ok(state
        .db
        .run(|c| {
            let groups = db::actors::list_local(c, "Group")?;
            groups
                .into_iter()
                .map(|g| {
                    let n =
                        db::follows::count_followers(c, &g.id, db::follows::FollowState::Accepted)?;
                    Ok((g, n))
                })
                .collect()
        })
        .await?)
}

/// A local group by name, or a clear 404.
pub async fn local_group(state: &AppState, name: &str) -> AppResult<ActorRow> {
    let n = name.to_string();
    state
        .db
        .run(move |c| db::actors::local_by_username(c, &n))
        .await?
        .filter(|a| a.kind == "Group")
        .ok_or_else(|| AppError::NotFound(format!("no local group named {name}")))
}

/// A Follow reached a local actor (from a remote member's node, or from a local member directly).
/// A group takes followers from the peers that may see its profile; open groups accept at once,
/// approval-only groups keep the follow pending for a moderator.
pub async fn receive_follow(
    ctx: &Ctx,
    follower: &ActorRow,
    target: &ActorRow,
    follow_ap_id: &str,
) -> AppResult<()> {
    if !target.local {
        return Err(AppError::Unprocessable(
            "follow target is not on this node".into(),
        ));
    }
    if target.kind == "Organization" {
        return Err(AppError::Unprocessable(
            "the organization actor cannot be followed".into(),
        ));
    }
    let (follower, target) = (follower.clone(), target.clone());
    let (ap_id, config) = (follow_ap_id.to_string(), ctx.config.clone());
    commit(ctx.app_data(), move |c, out| {
        let answer = |accept| Outbound::AnswerFollow {
            target_id: ActorId(target.id.clone()),
            follower_id: ActorId(follower.id.clone()),
            follow_ap_id: ap_id.clone(),
            accept,
        };
        if !follower.local && target.kind == "Group" {
            let level = visibility::peer_level(c, &config, &follower.domain)?;
            let domain = follower.domain.clone();
            if !Sight::new(Viewer::Peer { domain, level }).may_see_group(c, &target, true)? {
                out.emit(answer(false));
                return Ok(());
            }
        }
        let pending = target.manually_approves;
        let row = FollowRow {
            id: new_id(),
            follower_id: follower.id.clone(),
            target_id: target.id.clone(),
            activity_ap_id: ap_id.clone(),
            state: if pending {
                db::follows::FollowState::Pending
            } else {
                db::follows::FollowState::Accepted
            },
            created_at: now_ms(),
            notify: false,
        };
        db::follows::upsert(c, &row)?;
        // Who hears about it: a followed member, or the moderators of an approval-only group.
        let kind = if pending {
            NotificationKind::FollowRequest
        } else {
            NotificationKind::Follow
        };
        if target.kind != "Group" {
            notifications::raise(c, &target.id, kind, &follower.id, None)?;
        } else if pending {
            for m in db::actors::moderators(c, &target.id)? {
                notifications::raise(c, &m.id, kind, &follower.id, None)?;
            }
        }
        if !pending {
            out.emit(answer(true));
        }
        Ok(())
    })
    .await
}

/// Pending follow requests of a local group.
pub async fn requests(state: &AppState, group: &str) -> AppResult<Vec<ActorRow>> {
    let g = local_group(state, group).await?;
    Ok(state
        .db
        .run(move |c| db::follows::followers(c, &g.id, db::follows::FollowState::Pending, 0, 1000))
        .await?)
}

/// A moderator's decision on a pending follow: accept (the follower becomes a member) or reject.
pub async fn decide(ctx: &Ctx, group: &str, follower_ap_id: &str, approve: bool) -> AppResult<()> {
    let g = local_group(ctx.app_data(), group).await?;
    let (gid, fid) = (g.id.clone(), follower_ap_id.to_string());
    let missing = format!("{follower_ap_id} has not asked to join {group}");
    commit(ctx.app_data(), move |c, out| {
        let found = match db::actors::by_ap_id(c, &fid)? {
            Some(f) => db::follows::by_pair(c, &f.id, &gid)?.map(|follow| (f, follow)),
            None => None,
        };
        let (follower, follow) = found.ok_or(AppError::NotFound(missing))?;
        if approve {
            db::follows::set_state(c, &follow.id, db::follows::FollowState::Accepted)?;
        } else {
            db::follows::delete(c, &follow.id)?;
        }
        out.emit(Outbound::AnswerFollow {
            target_id: ActorId(gid),
            follower_id: ActorId(follower.id),
            follow_ap_id: follow.activity_ap_id,
            accept: approve,
        });
        Ok(())
    })
    .await
}

/// Refuses authors who are neither members (accepted followers) nor moderators of the group.
pub async fn ensure_member(ctx: &Ctx, group: &ActorRow, author: &ActorRow) -> AppResult<()> {
    let (g, a) = (group.clone(), author.clone());
    ctx.db.run(move |c| Ok(is_member(c, &g, &a))).await?
}

/// `ensure_member` on a connection.
pub fn is_member(c: &mut db::DbConnection, group: &ActorRow, author: &ActorRow) -> AppResult<()> {
    if db::follows::is_accepted(c, &author.id, &group.id)?
        || db::actors::is_moderator(c, &group.id, &author.id)?
    {
        return Ok(());
    }
    Err(AppError::Forbidden(format!(
        "{} is not a member of {}",
        author.ap_id, group.ap_id
    )))
}

/// A local group passes on what one of its members sent it (a post, an edit, a deletion) to its
/// followers that may see it.
pub async fn relay(
    ctx: &Ctx,
    group: &ActorRow,
    activity: Received,
    post_id: Option<String>,
    new_post: bool,
) -> AppResult<()> {
    let group_id = group.id.clone();
    commit(ctx.app_data(), move |_, out| {
        out.emit(Outbound::Relay {
            group_id: ActorId(group_id),
            activity,
            post_id: post_id.map(PostId),
            new_post,
        });
        Ok(())
    })
    .await
}

/// Makes a member (local or remote) a moderator of a local group and announces it with `Add`
/// (FEP-1b12), so followers' nodes know whose moderation to trust.
pub async fn add_moderator(ctx: &Ctx, group: &str, handle: &str) -> AppResult<ActorRow> {
    change_moderator(ctx, group, handle, true).await
}

/// Removes a moderator and announces it with `Remove`.
pub async fn remove_moderator(ctx: &Ctx, group: &str, handle: &str) -> AppResult<ActorRow> {
    change_moderator(ctx, group, handle, false).await
}

async fn change_moderator(ctx: &Ctx, group: &str, handle: &str, add: bool) -> AppResult<ActorRow> {
    let g = local_group(ctx.app_data(), group).await?;
    let who = crate::service::follows::resolve_handle(ctx, handle).await?;
    let (gid, w) = (g.id.clone(), who.clone());
    let (group, handle) = (group.to_string(), handle.to_string());
    commit(ctx.app_data(), move |c, out| {
        if add && !db::follows::is_accepted(c, &w.id, &gid)? {
            return Err(AppError::Unprocessable(format!(
                "{handle} must be a member of {group} first"
            )));
        }
        let changed = if add {
            let before = db::actors::is_moderator(c, &gid, &w.id)?;
            db::actors::add_moderator(c, &gid, &w.id, now_ms())?;
            !before
        } else {
            db::actors::remove_moderator(c, &gid, &w.id)?
        };
        if !changed {
            return Err(AppError::Conflict(format!(
                "{handle} {} a moderator of {group}",
                if add { "is already" } else { "is not" }
            )));
        }
        out.emit(Outbound::Moderator {
            group_id: ActorId(gid),
            member_id: ActorId(w.id.clone()),
            added: add,
        });
        Ok(w)
    })
    .await
}
