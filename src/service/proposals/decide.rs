//! Recording a decision: the count is fixed (votes after this moment are not counted), the
//! outcome and rationale are stored, the post is edited to state them, local voters and the author
//! get a `poll` notification, and an accepted proposal takes effect (a governance rule replaces
//! the group's document; a lead election makes its candidate a lead for the term).

use super::{current_tally, governance, lifecycle::republish, refused};
use crate::{
    db::{self, actors::ActorRow, proposals::ProposalRow, DbConnection},
    domain::{
        governance::Document,
        ids::ActorId,
        notification::NotificationKind,
        proposal::{Election, ProposalKind, ProposalState},
    },
    error::{AppError, AppResult},
    service::{notifications, outbound::Intents},
    urls::Urls,
};

/// Applies the decision the lifecycle check allowed (`p.state` is already accepted or rejected).
pub fn record(
    c: &mut DbConnection,
    out: &mut Intents,
    urls: &Urls,
    p: &mut ProposalRow,
    group: &ActorRow,
    rationale: Option<&str>,
    now: i64,
) -> AppResult<()> {
    p.voting_ends_at = Some(p.voting_ends_at.map_or(now, |e| e.min(now)));
    let tally = current_tally(c, p)?;
    p.tally = Some(serde_json::to_string(&tally).map_err(AppError::internal)?);
    p.outcome = Some(p.state.as_str().to_string());
    p.rationale = rationale.map(str::to_string);
    p.decided_at = Some(now);
    if p.state == ProposalState::Accepted {
        take_effect(c, out, p, group, now)?;
    }
    republish(c, out, urls, p)?;
    notify(c, out, p)
}

/// `poll` notifications for the local voters and the local author.
pub fn notify(c: &mut DbConnection, out: &mut Intents, p: &ProposalRow) -> AppResult<()> {
    let Some(post) = p
        .post_id
        .as_deref()
        .map(|id| db::posts::by_id(c, id))
        .transpose()?
        .flatten()
    else {
        return Ok(());
    };
    let mut users: Vec<String> = db::proposals::votes::of(c, &p.id)?
        .into_iter()
        .map(|v| v.voter_id)
        .collect();
    users.push(p.author_id.clone());
    users.sort();
    users.dedup();
    for user in users {
        if db::users::exists(c, &user)? {
            notifications::raise(
                c,
                out,
                &user,
                NotificationKind::Poll,
                &p.author_id,
                Some(&post),
            )?;
        }
    }
    Ok(())
}

fn take_effect(
    c: &mut DbConnection,
    out: &mut Intents,
    p: &ProposalRow,
    group: &ActorRow,
    now: i64,
) -> AppResult<()> {
    let payload = p.payload.as_deref().unwrap_or("null");
    match p.kind {
        ProposalKind::GovernanceRule => {
            let doc: Document = serde_json::from_str(payload).map_err(AppError::internal)?;
            let version = governance::current(c, group, crate::domain::governance::group_default)?
                .version
                + 1;
            governance::add_version(c, &group.id, version, &doc, Some(&p.id))
        }
        ProposalKind::LeadElection => {
            let e: Election = serde_json::from_str(payload).map_err(AppError::internal)?;
            let who = db::actors::by_ap_id(c, &e.candidate)?
                .ok_or_else(|| refused("the elected candidate is not known here"))?;
            let term_ends = now + i64::from(e.term_days) * super::DAY_MS;
            let (g, w) = (ActorId(group.id.clone()), ActorId(who.id));
            crate::service::groups::grant_lead(c, out, &g, &w, term_ends).map(|_| ())
        }
        _ => Ok(()),
    }
}
