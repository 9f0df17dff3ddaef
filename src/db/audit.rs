//! The audit log: what this node shared with (or refused to) which peer, and when.

use super::{schema::audit_log, DbConnection, DbResult};
use diesel::prelude::*;

/// One audit entry.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: String,
    pub peer: String,
    /// `deliver`, `serve`, `refuse-deliver`, `refuse-serve`, `refuse-inbound`.
    pub action: String,
    pub object: String,
    pub detail: String,
    pub created_at: i64,
}

/// Appends an entry.
pub fn insert(conn: &mut DbConnection, row: &AuditRow) -> DbResult<()> {
    diesel::insert_into(audit_log::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Several entries in one statement.
pub fn insert_many(conn: &mut DbConnection, rows: &[AuditRow]) -> DbResult<()> {
    use super::many_rows::{self, Value};
    if rows.is_empty() {
        return Ok(());
    }
    match conn {
        DbConnection::Postgresql(c) => {
            diesel::insert_into(audit_log::table)
                .values(rows)
                .execute(c)?;
        }
        DbConnection::Sqlite(c) => {
            let columns = ["id", "peer", "action", "object", "detail", "created_at"];
            many_rows::insert(c, "audit_log", &columns, false, rows, |r| {
                vec![
                    Value::Text(&r.id),
                    Value::Text(&r.peer),
                    Value::Text(&r.action),
                    Value::Text(&r.object),
                    Value::Text(&r.detail),
                    Value::BigInt(r.created_at),
                ]
            })?;
        }
    }
    Ok(())
}

/// The newest entries, optionally for one peer.
pub fn recent(conn: &mut DbConnection, peer: Option<&str>, limit: i64) -> DbResult<Vec<AuditRow>> {
    let mut q = audit_log::table
        .order(audit_log::created_at.desc())
        .limit(limit)
        .select(AuditRow::as_select())
        .into_boxed();
    if let Some(peer) = peer {
        q = q.filter(audit_log::peer.eq(peer));
    }
    Ok(q.load(conn)?)
}
