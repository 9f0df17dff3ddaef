//! A member's follow requests: those to follow the member (an account that approves its
//! followers) and those to join the local groups the member moderates, as Mastodon apps show them
//! (one list of accounts). Accepting an account accepts each of its requests the member answers;
//! the requester's node hears `Accept` (or `Reject`) from each target.

use crate::{
    db::{
        self,
        actors::ActorRow,
        follows::{FollowRow, FollowState},
        DbConnection, DbResult,
    },
    domain::ids::ActorId,
    error::{AppError, AppResult},
    service::outbound::{commit, Intents, Outbound},
    state::Ctx,
};

/// One page of the accounts waiting for `me`'s answer, newest request first, as `(follow id,
/// requester)`; an account that asked to follow more than one target is listed once (at its
/// newest request), on one page.
pub async fn page(
    ctx: &Ctx,
    me: &str,
    max_id: Option<String>,
    min_id: Option<String>,
    limit: i64,
) -> AppResult<Vec<(String, ActorRow)>> {
    let me = me.to_string();
    Ok(ctx
        .db
        .run(move |c| {
            db::follow_requests::page(c, &me, max_id.as_deref(), min_id.as_deref(), limit)
        })
        .await?)
}

/// Accepts (`accept`) or rejects every waiting request of `account_id` that `me` answers, and
/// removes the `follow_request` notifications about it. An account with none gets 404 and nothing
/// changes. Answers the requester.
pub async fn answer(ctx: &Ctx, me: &str, account_id: &str, accept: bool) -> AppResult<ActorRow> {
    let (me, account_id) = (me.to_string(), account_id.to_string());
    commit(ctx.app_data(), move |c, out| {
        let not_found = || AppError::NotFound("Record not found".into());
        let requester = db::actors::by_id(c, &account_id)?.ok_or_else(not_found)?;
        let waiting = db::follow_requests::of_requester(c, &me, &requester.id)?;
        if waiting.is_empty() {
            return Err(not_found());
        }
        for follow in waiting {
            settle(c, out, follow, accept)?;
        }
        Ok(requester)
    })
    .await
}

/// Removes the `follow_request` notifications of `requester_id`'s request to follow `target_id`
/// (answered, or taken back): the target's, or those of its moderators for a group, as Mastodon
/// removes them with the request.
pub fn forget_notifications(
    c: &mut DbConnection,
    target_id: &str,
    requester_id: &str,
) -> DbResult<()> {
    let mut told: Vec<String> = db::actors::moderators(c, target_id)?
        .into_iter()
        .map(|m| m.id)
        .collect();
    told.push(target_id.to_string());
    db::notifications::forget_request(c, &told, requester_id)?;
    Ok(())
}

/// Accepts every follow of `target_id` still waiting (an account unlocked, a group that no longer
/// asks for approval), as Mastodon does.
pub fn admit_all(c: &mut DbConnection, target_id: &str, out: &mut Intents) -> AppResult<()> {
    for follow in db::follow_requests::waiting_for(c, target_id)? {
        settle(c, out, follow, true)?;
    }
    Ok(())
}

/// Answers one follow (accepted, or rejected and gone) in the caller's transaction: its
/// `follow_request` notifications go, and the follower hears `Accept` or `Reject` from the target
/// (a follower on this node hears nothing; it reads the follow here).
pub fn settle(
    c: &mut DbConnection,
    out: &mut Intents,
    follow: FollowRow,
    accept: bool,
) -> AppResult<()> {
    match accept {
        true => db::follows::set_state(c, &follow.id, FollowState::Accepted)?,
        false => {
            db::follows::delete(c, &follow.id)?;
        }
    }
    forget_notifications(c, &follow.target_id, &follow.follower_id)?;
    out.emit(Outbound::AnswerFollow {
        target_id: ActorId(follow.target_id),
        follower_id: ActorId(follow.follower_id),
        follow_ap_id: follow.activity_ap_id,
        accept,
    });
    Ok(())
}
