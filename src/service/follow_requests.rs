//! A member's follow requests: those to follow the member (an account that approves its
//! followers) and those to join the local groups the member moderates, as Mastodon apps show them
//! (one list of accounts). Accepting an account accepts each of its requests the member answers;
//! the requester's node hears `Accept` (or `Reject`) from each target.

use crate::{
    db::{self, actors::ActorRow, follows::FollowState},
    domain::ids::ActorId,
    error::{AppError, AppResult},
    service::outbound::{commit, Outbound},
    state::Ctx,
};

/// One page of the requests `me` answers, newest first, as `(follow id, requester)`; an account
/// that asked to follow more than one target is listed once (at its newest request).
pub async fn page(
    ctx: &Ctx,
    me: &str,
    max_id: Option<String>,
    min_id: Option<String>,
    limit: i64,
) -> AppResult<Vec<(String, ActorRow)>> {
    let me = me.to_string();
    let mut rows = ctx
        .db
        .run(move |c| {
            db::follow_requests::page(c, &me, max_id.as_deref(), min_id.as_deref(), limit)
        })
        .await?;
    let mut seen = std::collections::HashSet::new();
    rows.retain(|(_, a)| seen.insert(a.id.clone()));
    Ok(rows)
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
            match accept {
                true => db::follows::set_state(c, &follow.id, FollowState::Accepted)?,
                false => {
                    db::follows::delete(c, &follow.id)?;
                }
            }
            // Its notifications go, for every one who could answer it (as on Mastodon).
            let told: Vec<String> = match follow.target_id == me {
                true => vec![me.clone()],
                false => db::actors::moderators(c, &follow.target_id)?
                    .into_iter()
                    .map(|m| m.id)
                    .collect(),
            };
            db::notifications::forget_request(c, &told, &requester.id)?;
            out.emit(Outbound::AnswerFollow {
                target_id: ActorId(follow.target_id),
                follower_id: ActorId(requester.id.clone()),
                follow_ap_id: follow.activity_ap_id,
                accept,
            });
        }
        Ok(requester)
    })
    .await
}
