//! Proposals that travel: a peer's proposal arriving in a local group (checked against the
//! group's governance before anything is stored), the copies other nodes keep, and a group's proved
//! updates (moves, counts, the decision) applied where the group is not hosted.

use super::{governance, lifecycle::republish, refused};
use crate::{
    db::{self, actors::ActorRow, posts::PostRow, proposals::ProposalRow},
    domain::{
        proposal::{
            rule::{DecisionRule, Quorum},
            tally::Tally,
            Election, ProposalKind, ProposalState,
        },
        time::now_ms,
    },
    error::{AppError, AppResult},
    service::outbound::commit_retrying,
    state::Ctx,
    urls::Urls,
};

/// A proposal's terms as a peer sent them, already parsed.
#[derive(Debug, Clone)]
pub struct Terms {
    pub state: ProposalState,
    pub kind: ProposalKind,
    pub rule: DecisionRule,
    pub quorum: Quorum,
    pub scope: String,
    pub template: Option<String>,
    pub discussion_days: i32,
    pub voting_days: i32,
    /// JSON of what the kind decides (checked like a local draft's before it can take effect).
    pub payload: Option<String>,
    pub members_at_open: Option<i64>,
    pub voting_ends_at: Option<i64>,
    pub tally: Option<Tally>,
    pub outcome: Option<String>,
    pub rationale: Option<String>,
}

/// Before a peer's proposal is stored in a local group: it must arrive open, in a scope the
/// governing documents open to a vote.
pub async fn check_incoming(ctx: &Ctx, group: &ActorRow, t: &Terms) -> AppResult<()> {
    if t.state != ProposalState::Open {
        return Err(refused(format!(
            "a new proposal arrives open, not {}",
            t.state
        )));
    }
    let (g, scope) = (group.clone(), t.scope.clone());
    ctx.db
        .run(move |c| Ok(governance::level_in(c, &g, &scope)))
        .await??;
    check_payload(ctx, t).await
}

/// What a kind decides must hold before the group counts a vote: a governance rule's document
/// parses; a lead election names a candidate (fetched, so it is known here) and a sane term.
async fn check_payload(ctx: &Ctx, t: &Terms) -> AppResult<()> {
    let payload = t.payload.as_deref().unwrap_or("null");
    match &t.kind {
        ProposalKind::GovernanceRule => {
            serde_json::from_str::<crate::domain::governance::Document>(payload).map_err(|e| {
                refused(format!(
                    "the proposed governance document is not valid: {e}"
                ))
            })?;
        }
        ProposalKind::LeadElection => {
            let e: Election = serde_json::from_str(payload).map_err(|e| {
                refused(format!("a lead election needs its candidate and term: {e}"))
            })?;
            if !(1..=3650).contains(&e.term_days) {
                return Err(refused("term_days must be between 1 and 3650"));
            }
            let url = url::Url::parse(&e.candidate)
                .map_err(|e| refused(format!("bad candidate: {e}")))?;
            ctx.remote.actor_by_url(ctx, &url).await?;
        }
        _ => {}
    }
    Ok(())
}

/// Stores (or refreshes) the proposal a peer's post carries, inside the transaction that stores
/// the post, so the post is never seen without its proposal. In a local group the stored state
/// then belongs to this node: only the title follows the author's later edits.
pub fn record_in(c: &mut db::DbConnection, post: &PostRow, t: Terms) -> AppResult<ProposalRow> {
    let group_id = post
        .group_id
        .clone()
        .ok_or_else(|| refused("a proposal belongs to a group"))?;
    let now = now_ms();
    if let Some(p) = db::proposals::by_ap_id(c, &post.ap_id)? {
        // Only the title follows the post: the state is the group's to say.
        let title = post.name.clone().unwrap_or_else(|| p.title.clone());
        db::proposals::set_title(c, &p.id, &title, now)?;
        return Ok(ProposalRow { title, ..p });
    }
    let p = ProposalRow {
        id: post.id.clone(),
        post_id: Some(post.id.clone()),
        ap_id: Some(post.ap_id.clone()),
        group_id,
        author_id: post.author_id.clone(),
        local: false,
        title: post.name.clone().unwrap_or_else(|| "Proposal".into()),
        body: String::new(),
        kind: t.kind,
        template: t.template,
        answers: "{}".into(),
        payload: t.payload,
        decision_rule: t.rule,
        quorum: t.quorum,
        scope: t.scope,
        state: t.state,
        discussion_days: t.discussion_days,
        voting_days: t.voting_days,
        members_at_open: t.members_at_open,
        voting_ends_at: t.voting_ends_at,
        outcome: None,
        rationale: None,
        tally: None,
        decided_at: None,
        decision_json: None,
        created_at: now,
        updated_at: now,
    };
    db::proposals::insert_if_new(c, &p)?;
    Ok(p)
}

/// A remote group's proved update of one of its proposals (the proof was checked by the caller
/// on the JSON as received, which is kept with a decision as evidence). A post written here
/// is edited to state where it stands, and a decision reaches local voters.
pub async fn apply_group_update(
    ctx: &Ctx,
    group: &ActorRow,
    ap_id: &str,
    t: Terms,
    received: String,
) -> AppResult<()> {
    let (group, ap_id, urls) = (group.clone(), ap_id.to_string(), Urls::new(&ctx.config));
    commit_retrying(ctx.app_data(), move |c, out| {
        let t = t.clone();
        let Some(mut p) = db::proposals::lock_by_ap_id(c, &ap_id)? else {
            return Err(AppError::NotFound(format!("no proposal {ap_id} here")));
        };
        if p.group_id != group.id || group.local {
            return Err(AppError::Forbidden(
                "only the proposal's own group updates it".into(),
            ));
        }
        if t.state.stage() < p.state.stage() {
            // An older word from the group, overtaken by one already applied.
            return Ok(());
        }
        let decided = t.outcome.is_some() && p.outcome.is_none();
        p.state = t.state;
        p.members_at_open = t.members_at_open.or(p.members_at_open);
        p.voting_ends_at = t.voting_ends_at.or(p.voting_ends_at);
        if let Some(tally) = &t.tally {
            p.tally = t.outcome.as_ref().and(serde_json::to_string(tally).ok());
        }
        if t.outcome.is_some() {
            p.outcome = t.outcome.clone();
            p.rationale = t.rationale.clone();
            p.decided_at = p.decided_at.or(Some(now_ms()));
            p.decision_json = Some(received.clone());
        }
        p.updated_at = now_ms();
        db::proposals::save(c, &p)?;
        republish(c, out, &urls, &p)?;
        if decided {
            super::decide::notify(c, out, &p)?;
        }
        Ok(())
    })
    .await
}
