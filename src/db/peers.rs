//! Peers: the policy level admins set for each other node, and its delivery health.

use super::{schema::peers, DbConnection, DbResult};
use diesel::prelude::*;

/// One peer node. `level` is `None` when the node is only tracked for delivery health.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = peers)]
pub struct PeerRow {
    pub domain: String,
    pub level: Option<String>,
    pub note: String,
    pub consecutive_failures: i32,
    pub dead_since: Option<i64>,
    pub last_success_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

fn ensure(conn: &mut DbConnection, domain: &str, now: i64) -> DbResult<()> {
    let row = PeerRow {
        domain: domain.to_string(),
        level: None,
        note: String::new(),
        consecutive_failures: 0,
        dead_since: None,
        last_success_at: None,
        created_at: now,
        updated_at: now,
    };
    super::insert_or_ignore!(conn, peers::table, &row)?;
    Ok(())
}

/// Sets a peer's level (creating the entry when needed).
pub fn set_level(
    conn: &mut DbConnection,
    domain: &str,
    level: &str,
    note: Option<&str>,
    now: i64,
) -> DbResult<()> {
    ensure(conn, domain, now)?;
    diesel::update(peers::table.find(domain))
        .set((peers::level.eq(Some(level)), peers::updated_at.eq(now)))
        .execute(conn)?;
    if let Some(note) = note {
        diesel::update(peers::table.find(domain))
            .set(peers::note.eq(note))
            .execute(conn)?;
    }
    Ok(())
}

/// One peer by domain.
pub fn get(conn: &mut DbConnection, domain: &str) -> DbResult<Option<PeerRow>> {
    Ok(peers::table
        .find(domain)
        .select(PeerRow::as_select())
        .first(conn)
        .optional()?)
}

/// The peers among `domains` that have an entry.
pub fn get_many(conn: &mut DbConnection, domains: &[String]) -> DbResult<Vec<PeerRow>> {
    Ok(super::direct!(conn, |c| peers::table
        .filter(super::ids_in::ids_in(peers::domain, domains))
        .select(PeerRow::as_select())
        .load(c))?)
}

/// Every known peer, by domain.
pub fn list(conn: &mut DbConnection) -> DbResult<Vec<PeerRow>> {
    Ok(peers::table
        .order(peers::domain.asc())
        .select(PeerRow::as_select())
        .load(conn)?)
}

/// How long a healthy peer's last success stands before another answer records it again.
const SUCCESS_REFRESH_MS: i64 = 60_000;

/// A delivery reached the peer: clears failures and the dead mark. Returns whether it had been dead.
/// A peer already healthy, whose last success is recent, is left as it is (one read): the
/// delivery worker calls this for every peer of every batch.
pub fn record_success(conn: &mut DbConnection, domain: &str, now: i64) -> DbResult<bool> {
    let stored = get(conn, domain)?;
    if let Some(p) = &stored {
        let recent = p
            .last_success_at
            .is_some_and(|at| now - at < SUCCESS_REFRESH_MS);
        if p.dead_since.is_none() && p.consecutive_failures == 0 && recent {
            return Ok(false);
        }
    } else {
        ensure(conn, domain, now)?;
    }
    let was_dead = stored.is_some_and(|p| p.dead_since.is_some());
    super::direct!(conn, |c| super::Kept(
        diesel::update(peers::table.find(domain)).set((
            peers::consecutive_failures.eq(0),
            peers::dead_since.eq(None::<i64>),
            peers::last_success_at.eq(Some(now)),
            peers::updated_at.eq(now),
        ))
    )
    .execute(c))?;
    Ok(was_dead)
}

/// A delivery failed: counts it, and marks the peer dead after `dead_after` failures in a row.
/// Returns whether the peer is now dead.
pub fn record_failure(
    conn: &mut DbConnection,
    domain: &str,
    dead_after: u32,
    now: i64,
) -> DbResult<bool> {
    ensure(conn, domain, now)?;
    diesel::update(peers::table.find(domain))
        .set((
            peers::consecutive_failures.eq(peers::consecutive_failures + 1),
            peers::updated_at.eq(now),
        ))
        .execute(conn)?;
    let Some(peer) = get(conn, domain)? else {
        return Ok(false);
    };
    let dead = peer.consecutive_failures >= dead_after as i32;
    if dead && peer.dead_since.is_none() {
        diesel::update(peers::table.find(domain))
            .set(peers::dead_since.eq(Some(now)))
            .execute(conn)?;
    }
    Ok(dead)
}

/// Number of peers this node has had contact with or a policy for (instance stats).
pub fn count(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(peers::table.count().get_result(conn)?)
}
