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
    super::direct!(conn, |c| super::Kept(
        diesel::insert_into(audit_log::table).values(row)
    )
    .execute(c))?;
    Ok(())
}

/// Several entries in one statement.
pub fn insert_many(conn: &mut DbConnection, rows: &[AuditRow]) -> DbResult<()> {
    use super::many_rows::{self, Value};
    if rows.is_empty() {
        return Ok(());
    }
    match conn {
        // One array per column: the same text for any number of rows, kept prepared.
        DbConnection::Postgresql(c) => {
            use diesel::sql_types::{Array, BigInt, Text};
            let texts = |f: fn(&AuditRow) -> &str| rows.iter().map(f).collect::<Vec<_>>();
            super::Kept(
                diesel::sql_query(
                    "INSERT INTO audit_log (id, peer, action, object, detail, created_at) \
                     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], \
                     $5::text[], $6::int8[])",
                )
                .bind::<Array<Text>, _>(texts(|r| &r.id))
                .bind::<Array<Text>, _>(texts(|r| &r.peer))
                .bind::<Array<Text>, _>(texts(|r| &r.action))
                .bind::<Array<Text>, _>(texts(|r| &r.object))
                .bind::<Array<Text>, _>(texts(|r| &r.detail))
                .bind::<Array<BigInt>, _>(rows.iter().map(|r| r.created_at).collect::<Vec<_>>()),
            )
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
