//! A Follow reaching a local actor: who may follow it, open groups accepting at once and
//! approval-only groups keeping the follow pending for a moderator.

use crate::domain::ids::ActorId;
use crate::{
    db::{self, actors::ActorRow, follows::FollowRow},
    domain::{ids::new_id, notification::NotificationKind, time::now_ms},
    error::{AppError, AppResult},
    service::{
        notifications,
        outbound::{commit, Outbound},
        visibility::{self, Sight, Viewer},
    },
    state::Ctx,
};

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
        if db::blocks::between(c, &follower.id, &target.id)? {
            if follower.local {
                return Err(AppError::Forbidden(
                    "you cannot follow an account that blocks you or that you block".into(),
                ));
            }
            out.emit(answer(false));
            return Ok(());
        }
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
            notifications::raise(c, out, &target.id, kind, &follower.id, None)?;
        } else if pending {
            for m in db::actors::moderators(c, &target.id)? {
                notifications::raise(c, out, &m.id, kind, &follower.id, None)?;
            }
        }
        if !pending {
            out.emit(answer(true));
        }
        Ok(())
    })
    .await
}
