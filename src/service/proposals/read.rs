//! Reading proposals. A draft is its author's alone; every other proposal is seen by whoever the
//! audience rule lets see its post (the group's visibility decides), on this node and on peers.

use super::{current_tally, governance};
use crate::{
    db::{
        self,
        actors::ActorRow,
        proposals::{log::LogRow, votes::VoteRow, ProposalRow},
        DbConnection,
    },
    domain::{
        governance::ScopeLevel,
        proposal::{tally::Tally, ProposalState},
    },
    error::{AppError, AppResult},
    service::{
        follows::resolve_handle,
        visibility::{Sight, Viewer},
    },
    state::Ctx,
};

/// A proposal with what its readers are shown.
#[derive(Debug, Clone)]
pub struct View {
    pub proposal: ProposalRow,
    pub group: ActorRow,
    pub author: ActorRow,
    /// The count so far (the final one once decided).
    pub tally: Tally,
    /// The reader's own vote.
    pub mine: Option<VoteRow>,
    /// The scope's level under the governing documents (local groups).
    pub level: Option<ScopeLevel>,
}

/// Whether `viewer` may see `p`.
pub fn may_see(
    c: &mut DbConnection,
    sight: &mut Sight,
    viewer: Option<&ActorRow>,
    p: &ProposalRow,
) -> AppResult<bool> {
    if p.state == ProposalState::Draft || p.post_id.is_none() {
        return Ok(viewer.is_some_and(|v| v.id == p.author_id));
    }
    let post = p
        .post_id
        .as_deref()
        .map(|id| db::posts::by_id(c, id))
        .transpose()?
        .flatten();
    match post {
        Some(post) => Ok(sight.may_see(c, &post)?),
        None => Ok(false),
    }
}

/// What `viewer` is shown of a proposal it may see.
pub(super) fn view(
    c: &mut DbConnection,
    viewer: Option<&ActorRow>,
    p: ProposalRow,
) -> AppResult<View> {
    let group = super::group_of(c, &p)?;
    let author = db::actors::by_id(c, &p.author_id)?
        .ok_or_else(|| AppError::NotFound("the proposal's author is gone".into()))?;
    let tally = match p.tally.as_deref() {
        Some(t) => serde_json::from_str(t).map_err(AppError::internal)?,
        None => current_tally(c, &p)?,
    };
    let mine = match viewer {
        Some(v) => db::proposals::votes::by_voter(c, &p.id, &v.id)?,
        None => None,
    };
    let level = if group.local {
        governance::level_in(c, &group, &p.scope).ok()
    } else {
        None
    };
    Ok(View {
        proposal: p,
        group,
        author,
        tally,
        mine,
        level,
    })
}

/// One proposal, or 404 when it does not exist or the viewer may not see it.
pub async fn get(ctx: &Ctx, viewer: Option<&ActorRow>, id: &str) -> AppResult<View> {
    let (viewer, id) = (viewer.cloned(), id.to_string());
    ctx.db
        .run(move |c| Ok(get_in(c, viewer.as_ref(), &id)))
        .await?
}

fn get_in(c: &mut DbConnection, viewer: Option<&ActorRow>, id: &str) -> AppResult<View> {
    let missing = || AppError::NotFound(format!("no proposal {id}"));
    let p = db::proposals::by_id(c, id)?.ok_or_else(missing)?;
    let mut sight = Sight::new(Viewer::of(viewer));
    if !may_see(c, &mut sight, viewer, &p)? {
        return Err(missing());
    }
    view(c, viewer, p)
}

/// A proposal's lifecycle log (as visible as the proposal).
pub async fn log(ctx: &Ctx, viewer: Option<&ActorRow>, id: &str) -> AppResult<Vec<LogRow>> {
    get(ctx, viewer, id).await?;
    let id = id.to_string();
    Ok(ctx.db.run(move |c| db::proposals::log::of(c, &id)).await?)
}

/// Which proposals of a group to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    All(Option<ProposalState>),
    /// Decided ones (the decision log), newest decision first.
    Decisions,
}

/// A group's proposals that `viewer` may see.
pub async fn in_group(
    ctx: &Ctx,
    viewer: Option<&ActorRow>,
    group: &str,
    listing: Listing,
    limit: i64,
) -> AppResult<(ActorRow, Vec<View>)> {
    let g = resolve_known(ctx, group).await?;
    let (viewer, gid, limit) = (viewer.cloned(), g.id.clone(), limit.clamp(1, 200));
    let views = ctx
        .db
        .run(move |c| Ok(visible_in(c, viewer.as_ref(), &gid, listing, limit)))
        .await??;
    Ok((g, views))
}

fn visible_in(
    c: &mut DbConnection,
    viewer: Option<&ActorRow>,
    gid: &str,
    listing: Listing,
    limit: i64,
) -> AppResult<Vec<View>> {
    let rows = match listing {
        Listing::All(state) => db::proposals::in_group(c, gid, state, limit)?,
        Listing::Decisions => db::proposals::decisions(c, gid, limit)?,
    };
    let mut sight = Sight::new(Viewer::of(viewer));
    let mut out = Vec::new();
    for p in rows {
        if may_see(c, &mut sight, viewer, &p)? {
            out.push(view(c, viewer, p)?);
        }
    }
    Ok(out)
}

/// A group by local name or by `name@host` (fetched from its node when not known yet).
pub async fn resolve_known(ctx: &Ctx, group: &str) -> AppResult<ActorRow> {
    let g = if group.trim_start_matches('@').contains('@') {
        resolve_handle(ctx, group).await?
    } else {
        crate::service::groups::local_group(ctx.app_data(), group.trim_start_matches('@')).await?
    };
    if g.kind != "Group" {
        return Err(AppError::NotFound(format!("no group {group}")));
    }
    Ok(g)
}
