//! Reports: a member reports an account (and some of its statuses) to this node's admins and to
//! the moderators of the groups the statuses were posted in; peers' nodes report through `Flag`
//! (`receive`). Who hears of a report is decided here and nowhere else: the admins and those
//! moderators get an `admin.report` notification, the reported account never hears of it, and
//! peers get a `Flag` from the node's own actor (never naming the reporter) through the
//! `Outbound::Flag` intent, queued with the report in one transaction.
//!
//! `admin.rs` lists and resolves reports for the command line.

pub mod admin;
mod receive;

pub use receive::receive_flag;

use crate::{
    db::{self, actors::ActorRow, posts::PostRow, reports::ReportRow, DbConnection},
    domain::{
        ids::new_id,
        report::{self, ReportError},
        time::now_ms,
    },
    error::{AppError, AppResult},
    service::{
        notifications,
        outbound::{commit, Intents, Outbound},
        visibility::{Sight, Viewer},
    },
    state::AppState,
};

/// What a member asks for with `POST /api/v1/reports`.
#[derive(Debug, Clone, Default)]
pub struct NewReport {
    pub account_id: String,
    pub status_ids: Vec<String>,
    pub comment: String,
    /// Send the report on to the reported account's node (when it is remote).
    pub forward: bool,
    pub category: Option<String>,
    pub rule_ids: Vec<String>,
}

fn invalid(e: ReportError) -> AppError {
    AppError::Unprocessable(e.to_string())
}

fn not_found() -> AppError {
    AppError::NotFound("Record not found".into())
}

/// `me` reports an account. The account must be one `me` may see, and every status one of its
/// statuses that `me` may see (else 404, as for any status `me` may not see; 422 for a status of
/// another account); nothing is stored when anything is wrong.
pub async fn create(state: &AppState, me: &ActorRow, new: NewReport) -> AppResult<ReportRow> {
    report::check_comment(&new.comment).map_err(invalid)?;
    if new.status_ids.len() > report::MAX_STATUSES {
        return Err(invalid(ReportError::TooManyStatuses));
    }
    let rule_count = state.config.instance.rules.len();
    let category =
        report::category_of(new.category.as_deref(), &new.rule_ids, rule_count).map_err(invalid)?;
    let me = me.clone();
    commit(state, move |c, out| {
        let mut sight = Sight::new(Viewer::Local(me.id.clone()));
        let target = db::actors::by_id(c, &new.account_id)?
            .filter(|a| a.kind != "Organization")
            .ok_or_else(not_found)?;
        if !sight.may_see_actor(c, &target, true)? {
            return Err(not_found());
        }
        if target.id == me.id {
            return Err(AppError::Unprocessable(
                "Validation failed: you cannot report yourself".into(),
            ));
        }
        let mut statuses: Vec<PostRow> = Vec::new();
        for id in &new.status_ids {
            if statuses.iter().any(|p| &p.id == id) {
                continue;
            }
            let post = db::posts::by_id(c, id)?.ok_or_else(not_found)?;
            if !sight.may_see(c, &post)? {
                return Err(not_found());
            }
            if post.author_id != target.id {
                return Err(AppError::Unprocessable(format!(
                    "Validation failed: status {id} is not a status of the reported account"
                )));
            }
            statuses.push(post);
        }
        let row = ReportRow {
            id: new_id(),
            ap_id: None,
            reporter_id: me.id.clone(),
            target_id: target.id.clone(),
            comment: new.comment.clone(),
            category,
            rule_ids: serde_json::to_string(&new.rule_ids).map_err(AppError::internal)?,
            forwarded: new.forward && !target.local,
            created_at: now_ms(),
            action_taken: false,
            resolved_at: None,
            resolved_by: None,
        };
        let post_ids: Vec<String> = statuses.iter().map(|p| p.id.clone()).collect();
        db::reports::insert(c, &row, &post_ids)?;
        notify_staff(c, out, &row, &statuses)?;
        if row.forwarded || in_remote_group(c, &statuses)? {
            out.emit(Outbound::Flag {
                report_id: row.id.clone(),
            });
        }
        Ok(row)
    })
    .await
}

/// Whether any of `statuses` was posted in a group hosted on another node.
fn in_remote_group(c: &mut DbConnection, statuses: &[PostRow]) -> AppResult<bool> {
    for g in statuses.iter().filter_map(|p| p.group_id.as_deref()) {
        if db::actors::by_id(c, g)?.is_some_and(|g| !g.local) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Who hears of a new report: the node's admins and the moderators of the local groups its
/// statuses were posted in — never the reported account, nor the reporter.
fn notify_staff(
    c: &mut DbConnection,
    out: &mut Intents,
    report: &ReportRow,
    statuses: &[PostRow],
) -> AppResult<()> {
    let mut staff = db::reports::admin_ids(c)?;
    let mut groups: Vec<&str> = statuses
        .iter()
        .filter_map(|p| p.group_id.as_deref())
        .collect();
    groups.sort_unstable();
    groups.dedup();
    for g in groups {
        if db::actors::by_id(c, g)?.is_some_and(|g| g.local) {
            staff.extend(db::actors::moderators(c, g)?.into_iter().map(|m| m.id));
        }
    }
    staff.sort_unstable();
    staff.dedup();
    for who in staff.iter().filter(|s| **s != report.target_id) {
        notifications::raise_report(c, out, who, &report.reporter_id, &report.id)?;
    }
    Ok(())
}
