//! Drafting a proposal and editing the draft.

use super::{entities::Proposal, views, writer};
use crate::{
    api::{
        auth::Auth,
        form::{de, Flex},
    },
    error::{AppError, AppResult},
    service::proposals::{create::Draft, member},
    state::Ctx,
};
use axum::{extract::Path, Json};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The terms of a draft. Absent terms come from the template, else the defaults; in an edit,
/// absent terms stay as they are.
#[derive(Deserialize)]
pub struct DraftForm {
    group: Option<String>,
    title: Option<String>,
    body: Option<String>,
    kind: Option<String>,
    template: Option<String>,
    /// Template field → answer.
    answers: Option<BTreeMap<String, String>>,
    #[serde(alias = "decision_rule")]
    rule: Option<String>,
    quorum: Option<String>,
    #[serde(alias = "decision_scope")]
    scope: Option<String>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    discussion_days: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    voting_days: Option<i64>,
    candidate: Option<String>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    term_days: Option<i64>,
}

fn days(n: Option<i64>, what: &str) -> AppResult<Option<i32>> {
    n.map(|n| {
        i32::try_from(n).map_err(|_| {
            AppError::Unprocessable(format!("Validation failed: {what} {n} is out of range"))
        })
    })
    .transpose()
}

impl DraftForm {
    fn draft(self) -> AppResult<Draft> {
        Ok(Draft {
            group: self.group.unwrap_or_default(),
            title: self.title.unwrap_or_default(),
            body: self.body.unwrap_or_default(),
            kind: self.kind,
            template: self.template,
            answers: self.answers.unwrap_or_default().into_iter().collect(),
            rule: self.rule,
            quorum: self.quorum,
            scope: self.scope,
            discussion_days: days(self.discussion_days, "discussion_days")?,
            voting_days: days(self.voting_days, "voting_days")?,
            candidate: self.candidate,
            term_days: days(self.term_days, "term_days")?,
        })
    }
}

/// POST /api/cohort/v1/proposals
pub async fn create(
    ctx: Ctx,
    auth: Auth,
    Flex(form): Flex<DraftForm>,
) -> AppResult<Json<Proposal>> {
    let me = writer(&auth)?;
    let d = form.draft()?;
    if d.group.trim().is_empty() {
        return Err(AppError::Unprocessable(
            "Validation failed: group is required (a local name or name@host)".into(),
        ));
    }
    let v = member::draft(&ctx, &me, d).await?;
    Ok(Json(views::proposal(&v)))
}

/// PATCH /api/cohort/v1/proposals/{id}: the title, body, rule, quorum and scope of a draft.
pub async fn edit(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Flex(form): Flex<DraftForm>,
) -> AppResult<Json<Proposal>> {
    let me = writer(&auth)?;
    let fixed = [
        ("group", form.group.is_some()),
        ("kind", form.kind.is_some()),
        ("template", form.template.is_some()),
        ("answers", form.answers.is_some()),
        ("candidate", form.candidate.is_some()),
        ("term_days", form.term_days.is_some()),
        ("discussion_days", form.discussion_days.is_some()),
        ("voting_days", form.voting_days.is_some()),
    ];
    if let Some((name, _)) = fixed.iter().find(|(_, given)| *given) {
        return Err(AppError::Unprocessable(format!(
            "Validation failed: {name} cannot be edited; a draft's title, body, rule, quorum and scope can"
        )));
    }
    let v = member::edit(&ctx, &me, &id, form.draft()?).await?;
    Ok(Json(views::proposal(&v)))
}
