//! The report entity, for the reporter and for the admins and moderators told of it. The
//! statuses it names are listed only when the reader may see them (the audience rule).

use super::{account, datetime};
use crate::api::entities::Report;
use crate::{
    db::{self, actors::ActorRow, reports::ReportRow, DbResult},
    service::visibility::{Sight, Viewer},
};

/// The report entities of `rows` as `viewer` may see them (a report whose account is gone is
/// left out).
pub fn reports(
    conn: &mut db::DbConnection,
    rows: &[ReportRow],
    viewer: &ActorRow,
    base_url: &str,
) -> DbResult<Vec<Report>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let named = db::reports::statuses_of(conn, &ids)?;
    let post_ids: Vec<String> = named.iter().map(|(_, p)| p.clone()).collect();
    let found = db::posts::by_ids(conn, &post_ids)?;
    let seen = Sight::new(Viewer::Local(viewer.id.clone())).retain(conn, found)?;
    let mut out = Vec::new();
    for r in rows {
        let Some(target) = db::actors::by_id(conn, &r.target_id)? else {
            continue;
        };
        let status_ids = named
            .iter()
            .filter(|(report, post)| *report == r.id && seen.iter().any(|p| &p.id == post))
            .map(|(_, post)| post.clone())
            .collect();
        let rule_ids: Vec<String> = serde_json::from_str(&r.rule_ids).unwrap_or_default();
        out.push(Report {
            id: r.id.clone(),
            action_taken: r.action_taken,
            action_taken_at: r.resolved_at.map(datetime),
            category: r.category.as_str().to_string(),
            comment: r.comment.clone(),
            forwarded: r.forwarded,
            created_at: datetime(r.created_at),
            status_ids: Some(status_ids),
            rule_ids: (!rule_ids.is_empty()).then_some(rule_ids),
            collection_ids: Some(Vec::new()),
            target_account: account(conn, &target, base_url)?,
        });
    }
    Ok(out)
}
