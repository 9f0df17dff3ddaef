//! The per-author counters an account shows (live statuses, last status), kept on every write
//! that adds or removes a live post, so reading them never counts an author's history.

use crate::db::{
    direct,
    fixed::{Bind, Fixed, Template},
    schema::actors,
    DbConnection, DbResult,
};
use diesel::prelude::*;

/// A live post by `author` published at `published` was stored.
pub fn added(conn: &mut DbConnection, author: &str, published: i64) -> DbResult<()> {
    let binds = vec![
        Bind::Int(published),
        Bind::Int(published),
        Bind::Text(author.to_string()),
    ];
    direct!(conn, |c| Fixed::<Added>::new(binds).execute(c))?;
    Ok(())
}

/// One live status more, and the last status time moved up to the new one's.
struct Added;

impl Template for Added {
    const SQL: &'static str = "UPDATE actors SET statuses_count = statuses_count + 1, \
        last_status_at = CASE WHEN last_status_at IS NULL OR last_status_at < ? THEN ? \
        ELSE last_status_at END WHERE id = ?";
    type SqlType = ();
}

/// A live post by `author` was deleted.
pub fn removed(conn: &mut DbConnection, author: &str) -> DbResult<()> {
    diesel::update(
        actors::table
            .find(author)
            .filter(actors::statuses_count.gt(0)),
    )
    .set(actors::statuses_count.eq(actors::statuses_count - 1))
    .execute(conn)?;
    Ok(())
}

/// Live posts of this node's own accounts (NodeInfo): the sum of their counters.
pub fn local_total(conn: &mut DbConnection) -> DbResult<i64> {
    let counts: Vec<i64> = actors::table
        .filter(actors::local)
        .select(actors::statuses_count)
        .load(conn)?;
    Ok(counts.iter().sum())
}
