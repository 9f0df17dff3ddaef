//! What a group publishes for those who would propose: its templates (contribution pathways) and
//! its governance document with every earlier version; and the node's own document. These are the
//! rules members decide under, so they are shown to anyone who can name the group, like the
//! group's profile. A peer's group publishes its own templates, read from its node; its governance
//! history is shown on that node.

use super::{governance, read::resolve_known, refused, templates};
use crate::{
    db::{self, actors::ActorRow, DbConnection},
    domain::{
        governance::{group_default, node_default, Document},
        proposal::template::Template,
    },
    error::AppResult,
    state::Ctx,
};

/// A governance document and its history.
#[derive(Debug, Clone)]
pub struct Governance {
    /// The group, or the node's organization actor.
    pub owner: ActorRow,
    /// Every version, newest (the current one) first.
    pub versions: Vec<Version>,
}

/// One version of a governance document.
#[derive(Debug, Clone)]
pub struct Version {
    pub version: i32,
    pub document: Document,
    /// The accepted proposal that made it (none for the first).
    pub proposal_id: Option<String>,
    pub created_at: i64,
}

async fn local(ctx: &Ctx, group: &str) -> AppResult<ActorRow> {
    let g = resolve_known(ctx, group).await?;
    if !g.local {
        return Err(refused(format!(
            "{group} is a group on another node: its templates and governance are published there"
        )));
    }
    Ok(g)
}

/// A local group's templates (the defaults, for a group that has none yet).
pub async fn templates(ctx: &Ctx, group: &str) -> AppResult<(ActorRow, Vec<Template>)> {
    let g = resolve_known(ctx, group).await?;
    if !g.local {
        // A peer's group publishes its own templates: read them from its node.
        let list = ctx.remote.templates_of(ctx, &g).await?;
        return Ok((g, list));
    }
    let id = g.id.clone();
    let list = ctx.db.tx(move |c| templates::of_group(c, &id)).await?;
    Ok((g, list))
}

fn history(
    c: &mut DbConnection,
    owner: ActorRow,
    default: fn() -> Document,
) -> AppResult<Governance> {
    governance::current(c, &owner, default)?;
    let versions = db::proposals::governance::history(c, &owner.id)?
        .iter()
        .map(|row| {
            Ok(Version {
                version: row.version,
                document: governance::document_of(row)?,
                proposal_id: row.proposal_id.clone(),
                created_at: row.created_at,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Governance { owner, versions })
}

/// A local group's governance document, every version.
pub async fn group_governance(ctx: &Ctx, group: &str) -> AppResult<Governance> {
    let g = local(ctx, group).await?;
    ctx.db.tx(move |c| history(c, g, group_default)).await
}

/// The node's governance document, every version.
pub async fn node_governance(ctx: &Ctx) -> AppResult<Governance> {
    ctx.db
        .tx(|c| {
            let node = governance::node_actor(c)?;
            history(c, node, node_default)
        })
        .await
}
