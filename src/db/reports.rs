//! Reports and the statuses each names. Who may read them is decided by the service (`reports`);
//! this module only stores and reads rows.

use super::{
    schema::{report_statuses, reports, users},
    DbConnection, DbResult,
};
use crate::domain::report::ReportCategory;
use diesel::prelude::*;

/// One stored report.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = reports)]
pub struct ReportRow {
    pub id: String,
    /// The `Flag` it arrived with (reports from peers only).
    pub ap_id: Option<String>,
    pub reporter_id: String,
    pub target_id: String,
    pub comment: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub category: ReportCategory,
    /// The cited rule ids, as a JSON array.
    pub rule_ids: String,
    pub forwarded: bool,
    pub created_at: i64,
    pub action_taken: bool,
    pub resolved_at: Option<i64>,
    pub resolved_by: Option<String>,
}

/// Stores a report and its statuses; returns false (storing nothing) when a report with the same
/// `ap_id` is stored already.
pub fn insert(conn: &mut DbConnection, row: &ReportRow, post_ids: &[String]) -> DbResult<bool> {
    if super::insert_or_ignore!(conn, reports::table, row.clone())? == 0 {
        return Ok(false);
    }
    for post_id in post_ids {
        super::insert_or_ignore!(
            conn,
            report_statuses::table,
            (
                report_statuses::report_id.eq(&row.id),
                report_statuses::post_id.eq(post_id),
            )
        )?;
    }
    Ok(true)
}

/// A report by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> DbResult<Option<ReportRow>> {
    Ok(reports::table
        .find(id)
        .select(ReportRow::as_select())
        .first(conn)
        .optional()?)
}

/// Reports by id, in no particular order.
pub fn by_ids(conn: &mut DbConnection, ids: &[String]) -> DbResult<Vec<ReportRow>> {
    Ok(reports::table
        .filter(reports::id.eq_any(ids))
        .select(ReportRow::as_select())
        .load(conn)?)
}

/// `(report id, post id)` for every status the reports `ids` name.
pub fn statuses_of(conn: &mut DbConnection, ids: &[String]) -> DbResult<Vec<(String, String)>> {
    Ok(report_statuses::table
        .filter(report_statuses::report_id.eq_any(ids))
        .order((report_statuses::report_id, report_statuses::post_id))
        .select((report_statuses::report_id, report_statuses::post_id))
        .load(conn)?)
}

/// The newest `limit` reports (only those not yet resolved with `unresolved`).
pub fn list(conn: &mut DbConnection, unresolved: bool, limit: i64) -> DbResult<Vec<ReportRow>> {
    let mut q = reports::table.select(ReportRow::as_select()).into_boxed();
    if unresolved {
        q = q.filter(reports::resolved_at.is_null());
    }
    Ok(q.order(reports::id.desc()).limit(limit).load(conn)?)
}

/// Marks a report resolved (an action was taken) by `by` (an admin's actor id, if known);
/// returns false when it was resolved already.
pub fn resolve(conn: &mut DbConnection, id: &str, by: Option<&str>, now: i64) -> DbResult<bool> {
    Ok(diesel::update(
        reports::table
            .filter(reports::id.eq(id))
            .filter(reports::resolved_at.is_null()),
    )
    .set((
        reports::action_taken.eq(true),
        reports::resolved_at.eq(now),
        reports::resolved_by.eq(by),
    ))
    .execute(conn)?
        > 0)
}

/// The actor ids of the node's admins.
pub fn admin_ids(conn: &mut DbConnection) -> DbResult<Vec<String>> {
    Ok(users::table
        .filter(users::role.eq("admin"))
        .select(users::id)
        .load(conn)?)
}
