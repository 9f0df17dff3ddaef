//! Governance documents of nodes and groups: every version is kept.

use crate::db::{schema_governance::governance_documents, DbConnection, DbResult};
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = governance_documents)]
pub struct DocumentRow {
    pub id: String,
    /// The group's actor id, or the node's organization actor id.
    pub owner_id: String,
    pub version: i32,
    /// JSON object scope → level.
    pub scopes: String,
    pub body: String,
    pub code_of_conduct: String,
    /// The accepted proposal that made this version (none for the first).
    pub proposal_id: Option<String>,
    pub created_at: i64,
}

/// Stores a version; returns false when that version number exists (a concurrent change won).
pub fn add(conn: &mut DbConnection, row: &DocumentRow) -> DbResult<bool> {
    Ok(crate::db::insert_or_ignore!(conn, governance_documents::table, row)? > 0)
}

/// The current version.
pub fn current(conn: &mut DbConnection, owner_id: &str) -> DbResult<Option<DocumentRow>> {
    Ok(governance_documents::table
        .filter(governance_documents::owner_id.eq(owner_id))
        .order(governance_documents::version.desc())
        .select(DocumentRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every version, newest first.
pub fn history(conn: &mut DbConnection, owner_id: &str) -> DbResult<Vec<DocumentRow>> {
    Ok(governance_documents::table
        .filter(governance_documents::owner_id.eq(owner_id))
        .order(governance_documents::version.desc())
        .select(DocumentRow::as_select())
        .load(conn)?)
}
