//! The lifecycle log of proposals: every move, who made it, when and why.

use crate::db::{schema_governance::proposal_log, DbConnection, DbResult};
use crate::domain::proposal::ProposalState;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = proposal_log)]
pub struct LogRow {
    pub id: String,
    pub proposal_id: String,
    pub from_state: Option<String>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub to_state: ProposalState,
    /// The actor id of who made the move.
    pub actor_id: String,
    pub reason: Option<String>,
    pub at: i64,
}

pub fn append(conn: &mut DbConnection, row: &LogRow) -> DbResult<()> {
    diesel::insert_into(proposal_log::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// A proposal's log, oldest first.
pub fn of(conn: &mut DbConnection, proposal_id: &str) -> DbResult<Vec<LogRow>> {
    Ok(proposal_log::table
        .filter(proposal_log::proposal_id.eq(proposal_id))
        .order((proposal_log::at.asc(), proposal_log::id.asc()))
        .select(LogRow::as_select())
        .load(conn)?)
}
