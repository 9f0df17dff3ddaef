//! The public records of a group's decisions, as pages and peers read them: the decision log,
//! one proposal with its lifecycle log, and a governance document with its history of versions.
//!
//! The reader is a [`Viewer`] (a member, a peer at its level, or anonymous), so the web pages and
//! the `decisions` collection ask the same audience rule as every other read: a group is shown to
//! whoever may see its profile, each proposal to whoever may see its post.

use super::{
    governance::{self as gov, document_of},
    read::{may_see, view, View},
};
use crate::{
    db::{self, actors::ActorRow, proposals::log::LogRow, DbConnection},
    domain::governance::{self, Document},
    error::{AppError, AppResult},
    service::visibility::{Sight, Viewer},
    state::Ctx,
};

/// How many decisions a log shows at most.
pub const MAX_DECISIONS: i64 = 2000;

/// A proposal with its lifecycle: who moved it, when and why.
#[derive(Debug, Clone)]
pub struct Record {
    pub view: View,
    /// Each move with its actor (`None` when the actor is no longer known here).
    pub log: Vec<(LogRow, Option<ActorRow>)>,
}

/// A governance document as published: the current version and every version before it.
#[derive(Debug, Clone)]
pub struct Governance {
    /// The group, or the node's organization actor.
    pub owner: ActorRow,
    pub version: i32,
    pub document: Document,
    pub history: Vec<Version>,
}

/// One version of a document and the accepted proposal that made it.
#[derive(Debug, Clone)]
pub struct Version {
    pub version: i32,
    pub document: Document,
    pub created_at: i64,
    /// Whether a proposal made this version (the first comes with the group).
    pub by_proposal: bool,
    /// That proposal's (id, title), when the reader may see it.
    pub proposal: Option<(String, String)>,
}

/// The member behind a local viewer (whose draft is theirs, whose vote is shown).
fn member(c: &mut DbConnection, viewer: &Viewer) -> AppResult<Option<ActorRow>> {
    match viewer {
        Viewer::Local(id) => Ok(db::actors::by_id(c, id)?),
        _ => Ok(None),
    }
}

/// The decisions of local group `group` that `viewer` may see, newest decision first.
pub async fn decision_log(
    ctx: &Ctx,
    viewer: Viewer,
    group: &str,
    limit: i64,
) -> AppResult<(ActorRow, Vec<View>)> {
    let (group, limit) = (group.to_string(), limit.clamp(1, MAX_DECISIONS));
    ctx.db
        .run(move |c| Ok(decisions_in(c, viewer, &group, limit)))
        .await?
}

fn decisions_in(
    c: &mut DbConnection,
    viewer: Viewer,
    group: &str,
    limit: i64,
) -> AppResult<(ActorRow, Vec<View>)> {
    let me = member(c, &viewer)?;
    let mut sight = Sight::new(viewer);
    let g = crate::service::groups::visible_local(c, Some(&mut sight), group)?;
    let mut out = Vec::new();
    for p in db::proposals::decisions(c, &g.id, limit)? {
        if may_see(c, &mut sight, me.as_ref(), &p)? {
            out.push(view(c, me.as_ref(), p)?);
        }
    }
    Ok((g, out))
}

/// Proposal `id` with its lifecycle log, or 404 when `viewer` may not see it.
pub async fn record(ctx: &Ctx, viewer: Viewer, id: &str) -> AppResult<Record> {
    let id = id.to_string();
    ctx.db.run(move |c| Ok(record_in(c, viewer, &id))).await?
}

fn record_in(c: &mut DbConnection, viewer: Viewer, id: &str) -> AppResult<Record> {
    let missing = || AppError::NotFound(format!("no proposal {id}"));
    let me = member(c, &viewer)?;
    let mut sight = Sight::new(viewer);
    let p = db::proposals::by_id(c, id)?.ok_or_else(missing)?;
    if !may_see(c, &mut sight, me.as_ref(), &p)? {
        return Err(missing());
    }
    let mut log = Vec::new();
    for row in db::proposals::log::of(c, id)? {
        let actor = db::actors::by_id(c, &row.actor_id)?;
        log.push((row, actor));
    }
    Ok(Record {
        view: view(c, me.as_ref(), p)?,
        log,
    })
}

/// The governance document of a group named by local name or `name@host`: a peer's group
/// publishes its own (422 here), a local one is shown like its profile (404 otherwise).
pub async fn group_governance(ctx: &Ctx, viewer: Viewer, group: &str) -> AppResult<Governance> {
    let g = super::read::resolve_known(ctx, group).await?;
    if !g.local {
        return Err(super::refused(format!(
            "{group} is a group on another node: its governance is published there"
        )));
    }
    governance(ctx, viewer, Some(&g.username)).await
}

/// The governance document of local group `group` (404 like its profile), or with `None` the
/// node's own document (public: it is the node's rules).
pub async fn governance(ctx: &Ctx, viewer: Viewer, group: Option<&str>) -> AppResult<Governance> {
    let group = group.map(str::to_string);
    ctx.db
        .run(move |c| Ok(governance_in(c, viewer, group.as_deref())))
        .await?
}

fn governance_in(
    c: &mut DbConnection,
    viewer: Viewer,
    group: Option<&str>,
) -> AppResult<Governance> {
    let me = member(c, &viewer)?;
    let mut sight = Sight::new(viewer);
    let (owner, default): (ActorRow, fn() -> Document) = match group {
        Some(name) => (
            crate::service::groups::visible_local(c, Some(&mut sight), name)?,
            governance::group_default,
        ),
        None => (gov::node_actor(c)?, governance::node_default),
    };
    let current = gov::current(c, &owner, default)?;
    let mut history = Vec::new();
    for row in db::proposals::governance::history(c, &owner.id)? {
        let proposal = match row.proposal_id.as_deref() {
            Some(pid) => match db::proposals::by_id(c, pid)? {
                Some(p) if may_see(c, &mut sight, me.as_ref(), &p)? => Some((p.id, p.title)),
                _ => None,
            },
            None => None,
        };
        history.push(Version {
            version: row.version,
            document: document_of(&row)?,
            created_at: row.created_at,
            by_proposal: row.proposal_id.is_some(),
            proposal,
        });
    }
    Ok(Governance {
        owner,
        version: current.version,
        document: document_of(&current)?,
        history,
    })
}
