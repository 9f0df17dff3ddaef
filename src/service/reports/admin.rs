//! Reports as the node's admins see them (`cohort admin reports`): every report, the reporter,
//! the reported account and the statuses named, and resolving one.

use crate::{
    db::{self, actors::ActorRow, reports::ReportRow},
    domain::time::now_ms,
    error::{AppError, AppResult},
    state::AppState,
};

/// A report with the accounts and statuses it names, for an admin.
#[derive(Debug, Clone)]
pub struct AdminReport {
    pub report: ReportRow,
    pub reporter: ActorRow,
    pub target: ActorRow,
    /// The ActivityPub ids of the statuses named.
    pub status_ap_ids: Vec<String>,
}

/// The newest `limit` reports (only unresolved ones with `unresolved`).
pub async fn list(state: &AppState, unresolved: bool, limit: i64) -> AppResult<Vec<AdminReport>> {
    Ok(state
        .db
        .run(move |c| {
            let rows = db::reports::list(c, unresolved, limit)?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let named = db::reports::statuses_of(c, &ids)?;
            let post_ids: Vec<String> = named.iter().map(|(_, p)| p.clone()).collect();
            let posts = db::posts::by_ids(c, &post_ids)?;
            let mut out = Vec::new();
            for report in rows {
                let (Some(reporter), Some(target)) = (
                    db::actors::by_id(c, &report.reporter_id)?,
                    db::actors::by_id(c, &report.target_id)?,
                ) else {
                    continue;
                };
                let status_ap_ids = named
                    .iter()
                    .filter(|(r, _)| *r == report.id)
                    .filter_map(|(_, p)| posts.iter().find(|x| &x.id == p))
                    .map(|p| p.ap_id.clone())
                    .collect();
                out.push(AdminReport {
                    report,
                    reporter,
                    target,
                    status_ap_ids,
                });
            }
            Ok::<_, db::DbError>(out)
        })
        .await?)
}

/// Marks the report `id` resolved, by the admin `by` (a username) when given. 404 for an
/// unknown report or admin, 422 when it was resolved already.
pub async fn resolve(state: &AppState, id: &str, by: Option<&str>) -> AppResult<ReportRow> {
    let (id, by) = (id.to_string(), by.map(String::from));
    state
        .db
        .tx(move |c| {
            let admin = match &by {
                Some(name) => match db::users::by_username(c, name)? {
                    Some((actor, user)) if user.role == "admin" => Some(actor.id),
                    _ => return Err(AppError::NotFound(format!("no admin named {name}"))),
                },
                None => None,
            };
            if db::reports::by_id(c, &id)?.is_none() {
                return Err(AppError::NotFound(format!("no report {id}")));
            }
            if !db::reports::resolve(c, &id, admin.as_deref(), now_ms())? {
                return Err(AppError::Unprocessable(format!(
                    "report {id} is resolved already"
                )));
            }
            db::reports::by_id(c, &id)?.ok_or_else(|| AppError::NotFound(format!("no report {id}")))
        })
        .await
}
