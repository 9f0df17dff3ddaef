//! A group's leads (moderators): granting the role for a term, renewing it, removing it, listing
//! the leads with their terms. Changes to the list are announced with `Add` and `Remove`.
//!
//! [`grant_lead`] is the one way a local group gains a lead or renews a term; it works inside an
//! existing `commit`, so a use case such as an accepted lead election grants the role in the same
//! transaction as its other writes. Terms end by `lead_expiry.rs`.

use super::local_group;
use crate::domain::ids::ActorId;
use crate::{
    db::{self, actors::ActorRow, DbConnection},
    domain::{lead_term, time::now_ms},
    error::{AppError, AppResult},
    service::outbound::{commit, Intents, Outbound},
    state::{AppState, Ctx},
};

/// What a grant did to the lead list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// The member became a lead; peers hear `Add`.
    Added,
    /// The member was already a lead and now serves until the new end; peers hear nothing, since
    /// the moderators collection is unchanged.
    Renewed,
}

/// A lead granted from the command line: who, until when, and whether it was new.
#[derive(Debug, Clone)]
pub struct Granted {
    pub actor: ActorRow,
    pub term_ends_at: i64,
    pub grant: Grant,
}

/// Makes a member (local or remote) a lead of a local group for `term_days` (the configured
/// `groups.lead_term_days` when `None`), or gives a current lead that term from now.
pub async fn add_moderator(
    ctx: &Ctx,
    group: &str,
    handle: &str,
    term_days: Option<u32>,
) -> AppResult<Granted> {
    let days = term_days.unwrap_or_else(|| ctx.config.groups.lead_term_days());
    lead_term::check_term_days(i64::from(days)).map_err(AppError::Unprocessable)?;
    let g = local_group(ctx.app_data(), group).await?;
    let who = crate::service::follows::resolve_handle(ctx, handle).await?;
    let end = lead_term::term_end(now_ms(), days);
    commit(ctx.app_data(), move |c, out| {
        let grant = grant_lead(c, out, &ActorId(g.id), &ActorId(who.id.clone()), end)?;
        Ok(Granted {
            actor: who,
            term_ends_at: end,
            grant,
        })
    })
    .await
}

/// Makes `actor_id` a lead of the local group `group_id` until `term_ends_at_ms` (the lead keeps
/// the role through that UTC day), or sets that end for a current lead (a re-election: no second
/// `Add`). Runs inside the caller's `commit`; refuses, changing nothing, an actor that is not an
/// accepted member of the group and a term that is already over.
pub fn grant_lead(
    conn: &mut DbConnection,
    out: &mut Intents,
    group_id: &ActorId,
    actor_id: &ActorId,
    term_ends_at_ms: i64,
) -> AppResult<Grant> {
    let group = db::actors::by_id(conn, group_id.as_str())?
        .filter(|g| g.local && g.kind == "Group")
        .ok_or_else(|| AppError::NotFound("no such local group".into()))?;
    let who = db::actors::by_id(conn, actor_id.as_str())?
        .ok_or_else(|| AppError::NotFound("no such actor".into()))?;
    if !db::follows::is_accepted(conn, &who.id, &group.id)? {
        return Err(AppError::Unprocessable(format!(
            "@{}@{} must be an accepted member of {} to lead it",
            who.username, who.domain, group.username
        )));
    }
    let now = now_ms();
    if lead_term::term_over(Some(term_ends_at_ms), now) {
        return Err(AppError::Unprocessable(
            "that term is already over: a lead's term must end today or later".into(),
        ));
    }
    if db::leads::term(conn, &group.id, &who.id)?.is_some() {
        db::leads::set_term(conn, &group.id, &who.id, term_ends_at_ms)?;
        return Ok(Grant::Renewed);
    }
    db::leads::add(conn, &group.id, &who.id, now, term_ends_at_ms)?;
    out.emit(Outbound::Moderator {
        group_id: group_id.clone(),
        member_id: actor_id.clone(),
        added: true,
    });
    Ok(Grant::Added)
}

/// Removes a lead before their term ends and announces it with `Remove`.
pub async fn remove_moderator(ctx: &Ctx, group: &str, handle: &str) -> AppResult<ActorRow> {
    let g = local_group(ctx.app_data(), group).await?;
    let who = crate::service::follows::resolve_handle(ctx, handle).await?;
    let (group, handle) = (group.to_string(), handle.to_string());
    commit(ctx.app_data(), move |c, out| {
        if !db::actors::remove_moderator(c, &g.id, &who.id)? {
            return Err(AppError::Conflict(format!(
                "{handle} is not a moderator of {group}"
            )));
        }
        out.emit(Outbound::Moderator {
            group_id: ActorId(g.id),
            member_id: ActorId(who.id.clone()),
            added: false,
        });
        Ok(who)
    })
    .await
}

/// The leads of a local group with the ends of their terms (`None`: no end known), so operators
/// see who serves until when.
pub async fn leads(state: &AppState, group: &str) -> AppResult<Vec<(ActorRow, Option<i64>)>> {
    let g = local_group(state, group).await?;
    Ok(state
        .db
        .run(move |c| db::leads::with_terms(c, &g.id))
        .await?)
}
