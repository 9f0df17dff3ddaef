//! How many live public posts here use each hashtag (`tag_stats`), kept on every write that tags,
//! untags or deletes a public post, so hashtag search seeks by name instead of counting uses.

use super::{
    schema::{posts, tag_stats},
    DbConnection, DbResult,
};
use diesel::prelude::*;
use std::collections::BTreeSet;

/// Whether a post counts towards its hashtags: live and public.
pub fn counts(conn: &mut DbConnection, post_id: &str) -> DbResult<bool> {
    let n: i64 = posts::table
        .find(post_id)
        .filter(posts::deleted_at.is_null())
        .filter(posts::visibility.eq("public"))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// A counted post's hashtags changed from `before` to `after`.
pub fn retagged(conn: &mut DbConnection, before: &[String], after: &[String]) -> DbResult<()> {
    let (before, after): (BTreeSet<&String>, BTreeSet<&String>) =
        (before.iter().collect(), after.iter().collect());
    for gone in before.difference(&after) {
        bump(conn, gone, -1)?;
    }
    for new in after.difference(&before) {
        bump(conn, new, 1)?;
    }
    Ok(())
}

fn bump(conn: &mut DbConnection, name: &str, delta: i64) -> DbResult<()> {
    super::insert_or_ignore!(
        conn,
        tag_stats::table,
        (tag_stats::name.eq(name), tag_stats::uses.eq(0i64))
    )?;
    diesel::update(tag_stats::table.find(name))
        .set(tag_stats::uses.eq(tag_stats::uses + delta))
        .execute(conn)?;
    Ok(())
}

/// Hashtags starting with `prefix` that live public posts here use, with how many posts use
/// each, most used first. Seeks by name: on SQLite through the primary key (a byte range), on
/// PostgreSQL through the pattern index of `LIKE 'prefix%'`.
pub fn search(conn: &mut DbConnection, prefix: &str, limit: i64) -> DbResult<Vec<(String, i64)>> {
    let prefix = prefix.replace(['%', '_', '\\'], "");
    let rows = match conn {
        DbConnection::Sqlite(c) => {
            let upper = format!("{prefix}{}", char::MAX);
            tag_stats::table
                .filter(tag_stats::uses.gt(0))
                .filter(tag_stats::name.ge(&prefix))
                .filter(tag_stats::name.lt(upper))
                .order((tag_stats::uses.desc(), tag_stats::name.asc()))
                .limit(limit)
                .select((tag_stats::name, tag_stats::uses))
                .load(c)?
        }
        DbConnection::Postgresql(c) => tag_stats::table
            .filter(tag_stats::uses.gt(0))
            .filter(tag_stats::name.like(format!("{prefix}%")))
            .order((tag_stats::uses.desc(), tag_stats::name.asc()))
            .limit(limit)
            .select((tag_stats::name, tag_stats::uses))
            .load(c)?,
    };
    Ok(rows)
}
