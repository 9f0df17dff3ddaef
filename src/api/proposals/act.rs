//! Moving a proposal through its lifecycle and voting on it.

use super::{entities::Proposal, views, writer};
use crate::{
    api::{auth::Auth, form::Flex},
    domain::proposal::{Choice, ProposalState},
    error::{AppError, AppResult},
    service::proposals::member,
    state::Ctx,
};
use axum::{extract::Path, Json};
use serde::Deserialize;

/// `{ "to": state, "reason": text }`
#[derive(Deserialize)]
pub struct TransitionForm {
    to: Option<String>,
    reason: Option<String>,
}

/// `{ "choice": "approve|object|abstain", "reason": text }`
#[derive(Deserialize)]
pub struct VoteForm {
    choice: Option<String>,
    reason: Option<String>,
}

fn state(to: Option<&str>) -> AppResult<ProposalState> {
    let targets = "open, voting, accepted, rejected, withdrawn or implemented";
    let to = to.map(str::trim).unwrap_or("");
    if to.is_empty() {
        return Err(AppError::Unprocessable(format!(
            "Validation failed: to is required ({targets})"
        )));
    }
    to.parse().map_err(|_| {
        AppError::Unprocessable(format!(
            "Validation failed: unknown state {to:?} (to is one of {targets})"
        ))
    })
}

fn choice(c: Option<&str>) -> AppResult<Choice> {
    let c = c.map(str::trim).unwrap_or("");
    c.parse().map_err(|_| {
        AppError::Unprocessable(format!(
            "Validation failed: choice {c:?} is not approve, object or abstain"
        ))
    })
}

/// POST /api/cohort/v1/proposals/{id}/transition
pub async fn transition(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Flex(form): Flex<TransitionForm>,
) -> AppResult<Json<Proposal>> {
    let me = writer(&auth)?;
    let to = state(form.to.as_deref())?;
    let v = member::advance(&ctx, &me, &id, to, form.reason).await?;
    Ok(Json(views::proposal(&v)))
}

/// POST /api/cohort/v1/proposals/{id}/votes
pub async fn vote(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Flex(form): Flex<VoteForm>,
) -> AppResult<Json<Proposal>> {
    let me = writer(&auth)?;
    let c = choice(form.choice.as_deref())?;
    let v = member::vote(&ctx, &me, &id, c, form.reason).await?;
    Ok(Json(views::proposal(&v)))
}
