//! Blocks between accounts: a local member blocking anyone, or a peer's member blocking a local
//! member (its `Block` stored as received). Read by the audience rule for whole pages at once.

use super::{
    actors::ActorRow,
    schema::{actors, blocks},
    DbConnection, DbResult,
};
use crate::db::{direct, ids_in};
use diesel::prelude::*;

/// One block: `actor_id` blocks `target_id`; `ap_id` names the `Block` activity.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = blocks)]
pub struct BlockRow {
    pub id: String,
    pub actor_id: String,
    pub target_id: String,
    pub ap_id: String,
    pub created_at: i64,
}

/// Stores a block unless the pair already has one; returns whether it was new.
pub fn insert(conn: &mut DbConnection, row: &BlockRow) -> DbResult<bool> {
    Ok(super::insert_or_ignore!(conn, blocks::table, row.clone())? > 0)
}

/// The block of `target` by `actor`, if any.
pub fn by_pair(conn: &mut DbConnection, actor: &str, target: &str) -> DbResult<Option<BlockRow>> {
    Ok(direct!(conn, |c| blocks::table
        .filter(blocks::actor_id.eq(actor))
        .filter(blocks::target_id.eq(target))
        .select(BlockRow::as_select())
        .first(c)
        .optional())?)
}

/// Removes the block of `target` by `actor`; returns it when there was one.
pub fn delete(conn: &mut DbConnection, actor: &str, target: &str) -> DbResult<Option<BlockRow>> {
    let found = by_pair(conn, actor, target)?;
    if let Some(b) = &found {
        diesel::delete(blocks::table.find(&b.id)).execute(conn)?;
    }
    Ok(found)
}

/// Removes the block stored for a `Block` activity by `actor`; returns whether one was.
pub fn delete_by_ap_id(conn: &mut DbConnection, actor: &str, ap_id: &str) -> DbResult<bool> {
    Ok(diesel::delete(
        blocks::table
            .filter(blocks::actor_id.eq(actor))
            .filter(blocks::ap_id.eq(ap_id)),
    )
    .execute(conn)?
        > 0)
}

/// Whether either of `a` and `b` blocks the other.
pub fn between(conn: &mut DbConnection, a: &str, b: &str) -> DbResult<bool> {
    let n: i64 = blocks::table
        .filter(
            (blocks::actor_id.eq(a).and(blocks::target_id.eq(b)))
                .or(blocks::actor_id.eq(b).and(blocks::target_id.eq(a))),
        )
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Of `others`, those `me` blocks and those who block `me`, in one statement.
pub fn among(
    conn: &mut DbConnection,
    me: &str,
    others: &[&str],
) -> DbResult<(Vec<String>, Vec<String>)> {
    let rows: Vec<(String, String)> = direct!(conn, |c| blocks::table
        .filter(
            (blocks::actor_id
                .eq(me)
                .and(ids_in(blocks::target_id, others)))
            .or(blocks::target_id
                .eq(me)
                .and(ids_in(blocks::actor_id, others))),
        )
        .select((blocks::actor_id, blocks::target_id))
        .load(c))?;
    let (mut blocking, mut blocked_by) = (Vec::new(), Vec::new());
    for (actor, target) in rows {
        if actor == me {
            blocking.push(target);
        } else {
            blocked_by.push(actor);
        }
    }
    Ok((blocking, blocked_by))
}

/// The accounts `actor` blocks, newest block first, as `(block id, account)`, below `max_id`
/// and above `min_id` (block ids).
pub fn page(
    conn: &mut DbConnection,
    actor: &str,
    max_id: Option<&str>,
    min_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<(String, ActorRow)>> {
    let mut q = blocks::table
        .inner_join(actors::table.on(actors::id.eq(blocks::target_id)))
        .filter(blocks::actor_id.eq(actor))
        .select((blocks::id, ActorRow::as_select()))
        .into_boxed();
    if let Some(max) = max_id {
        q = q.filter(blocks::id.lt(max.to_string()));
    }
    if let Some(min) = min_id {
        q = q.filter(blocks::id.gt(min.to_string()));
    }
    Ok(q.order(blocks::id.desc()).limit(limit).load(conn)?)
}

/// Of `recipients`, those who block `author` or whom `author` blocks, by id.
pub fn excluded_for(
    conn: &mut DbConnection,
    author: &str,
    recipients: &[&str],
) -> DbResult<Vec<String>> {
    let (blocking, blocked_by) = among(conn, author, recipients)?;
    Ok(blocking.into_iter().chain(blocked_by).collect())
}
