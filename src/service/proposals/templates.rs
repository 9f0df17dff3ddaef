//! Contribution pathways: each local group publishes proposal templates; a new group starts with
//! the domain's defaults.

use crate::{
    db::{self, actors::ActorRow, proposals::templates::TemplateRow, DbConnection},
    domain::{
        proposal::{
            template::{self, Field, Template},
            ProposalKind,
        },
        time::now_ms,
    },
    error::{AppError, AppResult},
    state::Ctx,
};

fn row_of(group_id: &str, t: &Template, at: i64) -> TemplateRow {
    TemplateRow {
        group_id: group_id.to_string(),
        slug: t.slug.clone(),
        title: t.title.clone(),
        kind: t.kind.as_str().to_string(),
        guidance: t.guidance.clone(),
        fields: serde_json::to_string(&t.fields).unwrap_or_else(|_| "[]".into()),
        time_commitment: t.time_commitment.clone(),
        decision_rule: t.rule.to_string(),
        quorum: t.quorum.to_string(),
        scope: t.scope.clone(),
        discussion_days: t.discussion_days as i32,
        voting_days: t.voting_days as i32,
        created_at: at,
    }
}

/// Reads a stored template back into the domain's shape.
pub fn template_of(r: &TemplateRow) -> AppResult<Template> {
    let bad = |e: String| AppError::internal(format!("template {}: {e}", r.slug));
    Ok(Template {
        slug: r.slug.clone(),
        title: r.title.clone(),
        kind: ProposalKind::parse(&r.kind).map_err(bad)?,
        guidance: r.guidance.clone(),
        fields: serde_json::from_str::<Vec<Field>>(&r.fields).map_err(|e| bad(e.to_string()))?,
        time_commitment: r.time_commitment.clone(),
        rule: r.decision_rule.clone().try_into().map_err(bad)?,
        quorum: r.quorum.clone().try_into().map_err(bad)?,
        scope: r.scope.clone(),
        discussion_days: r.discussion_days.max(0) as u32,
        voting_days: r.voting_days.max(0) as u32,
    })
}

/// Gives a group the default templates it lacks (called when a group is created, and before
/// a group's templates are read, so groups made before templates existed get them too).
pub fn ensure_defaults(c: &mut DbConnection, group_id: &str) -> AppResult<()> {
    let now = now_ms();
    let rows: Vec<TemplateRow> = template::defaults()
        .iter()
        .enumerate()
        .map(|(i, t)| row_of(group_id, t, now + i as i64))
        .collect();
    if db::proposals::templates::of_group(c, group_id)?.is_empty() {
        db::proposals::templates::add_missing(c, &rows)?;
    }
    Ok(())
}

/// A local group's templates.
pub fn of_group(c: &mut DbConnection, group_id: &str) -> AppResult<Vec<Template>> {
    ensure_defaults(c, group_id)?;
    db::proposals::templates::of_group(c, group_id)?
        .iter()
        .map(template_of)
        .collect()
}

/// One template of a local group, or a clear 422 naming what exists.
pub fn get(c: &mut DbConnection, group_id: &str, slug: &str) -> AppResult<Template> {
    let all = of_group(c, group_id)?;
    let names: Vec<&str> = all.iter().map(|t| t.slug.as_str()).collect();
    let listed = names.join(", ");
    all.iter().find(|t| t.slug == slug).cloned().ok_or_else(|| {
        AppError::Unprocessable(format!(
            "Validation failed: the group has no template {slug:?} (it has: {listed})"
        ))
    })
}

/// The templates of a group named by local name or `name@host`, for those who would propose:
/// shown to anyone who can name the group. A peer's group publishes its own, read from its node.
pub async fn for_group(ctx: &Ctx, group: &str) -> AppResult<(ActorRow, Vec<Template>)> {
    let g = super::read::resolve_known(ctx, group).await?;
    if !g.local {
        let list = ctx.remote.templates_of(ctx, &g).await?;
        return Ok((g, list));
    }
    let id = g.id.clone();
    let list = ctx.db.tx(move |c| of_group(c, &id)).await?;
    Ok((g, list))
}
