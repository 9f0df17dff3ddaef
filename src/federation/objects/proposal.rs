//! A proposal's Cohort terms on its `Question`, and reading them back from a peer's.

use crate::{
    db::{self, proposals::ProposalRow, DbConnection},
    domain::proposal::tally::Tally,
    error::AppResult,
    federation::protocol::proposal::ProposalTerms,
    service::proposals as service,
};

/// The terms of a stored proposal: its state and rules, and the count (the final one once
/// decided, else the current one where the group is hosted here, else what the group reported).
pub fn terms_of(c: &mut DbConnection, p: &ProposalRow) -> AppResult<ProposalTerms> {
    let group_here = db::actors::by_id(c, &p.group_id)?.is_some_and(|g| g.local);
    let tally: Option<Tally> = match (&p.tally, group_here) {
        (Some(t), _) => serde_json::from_str(t).ok(),
        (None, true) => Some(service::current_tally(c, p)?),
        (None, false) => None,
    };
    Ok(ProposalTerms {
        proposal_state: Some(p.state.as_str().to_string()),
        proposal_kind: Some(p.kind.as_str().to_string()),
        decision_rule: Some(p.decision_rule.to_string()),
        quorum: Some(p.quorum.to_string()),
        decision_scope: Some(p.scope.clone()),
        proposal_template: p.template.clone(),
        discussion_days: Some(p.discussion_days),
        voting_days: Some(p.voting_days),
        proposal_payload: p
            .payload
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok()),
        members_at_open: p.members_at_open,
        tally: tally.and_then(|t| serde_json::to_value(t).ok()),
        outcome: p.outcome.clone(),
        rationale: p.rationale.clone(),
        requested_state: None,
    })
}

/// The terms of the proposal a local post carries, if it is one.
pub fn terms_of_post(c: &mut DbConnection, post_id: &str) -> AppResult<Option<ProposalTerms>> {
    match db::proposals::by_post(c, post_id)? {
        Some(p) => Ok(Some(terms_of(c, &p)?)),
        None => Ok(None),
    }
}

/// Whether no proposal with this ActivityPub id is stored here.
pub async fn unknown(ctx: &crate::state::Ctx, ap_id: &str) -> AppResult<bool> {
    let ap = ap_id.to_string();
    Ok(ctx
        .db
        .run(move |c| db::proposals::by_ap_id(c, &ap))
        .await?
        .is_none())
}

/// The proposal with this ActivityPub id, when its group is hosted here (votes and move requests
/// are only taken for those).
pub async fn of_local_group(
    ctx: &crate::state::Ctx,
    ap_id: &str,
) -> AppResult<Option<ProposalRow>> {
    let ap = ap_id.to_string();
    Ok(ctx
        .db
        .run(move |c| {
            let p = db::proposals::by_ap_id(c, &ap)?;
            let local = match &p {
                Some(p) => db::actors::by_id(c, &p.group_id)?.is_some_and(|g| g.local),
                None => false,
            };
            Ok(p.filter(|_| local))
        })
        .await?)
}
