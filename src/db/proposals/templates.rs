//! Proposal templates a group publishes (contribution pathways).

use crate::db::{schema_governance::proposal_templates, DbConnection, DbResult};
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = proposal_templates)]
pub struct TemplateRow {
    pub group_id: String,
    pub slug: String,
    pub title: String,
    pub kind: String,
    pub guidance: String,
    /// JSON array of fields.
    pub fields: String,
    pub time_commitment: String,
    pub decision_rule: String,
    pub quorum: String,
    pub scope: String,
    pub discussion_days: i32,
    pub voting_days: i32,
    pub created_at: i64,
}

/// Stores templates a group does not have yet (by slug).
pub fn add_missing(conn: &mut DbConnection, rows: &[TemplateRow]) -> DbResult<()> {
    for row in rows {
        crate::db::insert_or_ignore!(conn, proposal_templates::table, row)?;
    }
    Ok(())
}

pub fn of_group(conn: &mut DbConnection, group_id: &str) -> DbResult<Vec<TemplateRow>> {
    Ok(proposal_templates::table
        .filter(proposal_templates::group_id.eq(group_id))
        .order(proposal_templates::created_at.asc())
        .select(TemplateRow::as_select())
        .load(conn)?)
}

pub fn get(conn: &mut DbConnection, group_id: &str, slug: &str) -> DbResult<Option<TemplateRow>> {
    Ok(proposal_templates::table
        .find((group_id, slug))
        .select(TemplateRow::as_select())
        .first(conn)
        .optional()?)
}
