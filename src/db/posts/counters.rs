//! The per-author counters an account shows (live statuses, last status), kept on every write
//! that adds or removes a live post, so reading them never counts an author's history.

use crate::db::{schema::actors, DbConnection, DbResult};
use diesel::prelude::*;

/// A live post by `author` published at `published` was stored.
pub fn added(conn: &mut DbConnection, author: &str, published: i64) -> DbResult<()> {
    diesel::update(actors::table.find(author))
        .set(actors::statuses_count.eq(actors::statuses_count + 1))
        .execute(conn)?;
    diesel::update(
        actors::table.find(author).filter(
            actors::last_status_at
                .is_null()
                .or(actors::last_status_at.lt(published)),
        ),
    )
    .set(actors::last_status_at.eq(Some(published)))
    .execute(conn)?;
    Ok(())
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
