//! How many live public posts here use each hashtag (`tag_stats`), and per day how many and by
//! how many authors (`tag_days`, `tag_day_authors`), kept on every write that tags, untags or
//! deletes a public post, so hashtag search seeks by name and a hashtag's history reads a week of
//! rows instead of counting uses. Both counters are spread over slots chosen by the post's author
//! (`db::slots`) and read as sums, so members posting with the same hashtag at once do not queue
//! behind one row's lock.

use super::{
    direct,
    fixed::{Bind, Fixed, Template},
    posts::PostRow,
    schema::{posts, tag_days},
    DbConnection, DbResult,
};
use crate::domain::audience::PostVisibility;
use diesel::{prelude::*, sql_types::BigInt};
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

const DAY: i64 = 86_400_000;

/// The start (UTC) of the day that contains `ms`.
pub fn day_of(ms: i64) -> i64 {
    ms - ms.rem_euclid(DAY)
}

/// A counted post's hashtags changed from `before` to `after`.
pub fn retagged(
    conn: &mut DbConnection,
    post_id: &str,
    before: &[String],
    after: &[String],
) -> DbResult<()> {
    let (before, after): (BTreeSet<&String>, BTreeSet<&String>) =
        (before.iter().collect(), after.iter().collect());
    if before == after {
        return Ok(());
    }
    let (published, author): (i64, String) = posts::table
        .find(post_id)
        .select((posts::published, posts::author_id))
        .first(conn)?;
    counted(conn, published, &author, &before, &after)
}

/// The counters of a counted post by `author` published at `published` whose hashtags changed
/// from `before` to `after`.
fn counted(
    conn: &mut DbConnection,
    published: i64,
    author: &str,
    before: &BTreeSet<&String>,
    after: &BTreeSet<&String>,
) -> DbResult<()> {
    let (day, slot) = (day_of(published), super::slots::slot_of(author));
    for gone in before.difference(after) {
        bump(conn, gone, slot, -1)?;
        bump_day(conn, gone, day, author, -1)?;
    }
    for new in after.difference(before) {
        bump(conn, new, slot, 1)?;
        bump_day(conn, new, day, author, 1)?;
    }
    Ok(())
}

/// One use more or less of a hashtag on `day` by `author`; the day's authors change when the
/// author's uses that day go from none to one or back.
fn bump_day(
    conn: &mut DbConnection,
    name: &str,
    day: i64,
    author: &str,
    delta: i64,
) -> DbResult<()> {
    let text = |s: &str| Bind::Text(s.to_string());
    let binds = vec![text(name), Bind::Int(day), text(author), Bind::Int(delta)];
    let uses: i64 = direct!(conn, |c| Fixed::<BumpAuthorDay>::new(binds).get_result(c))?;
    let accounts = match (delta, uses) {
        (1, 1) => 1,
        (-1, 0) => -1,
        _ => 0,
    };
    let slot = super::slots::slot_of(author);
    let binds = vec![
        text(name),
        Bind::Int(day),
        Bind::Int4(slot),
        Bind::Int(delta),
        Bind::Int(accounts),
    ];
    direct!(conn, |c| Fixed::<BumpDay>::new(binds).execute(c))?;
    Ok(())
}

/// An author's uses of a hashtag on a day, changed by a delta; returns the new count.
struct BumpAuthorDay;

impl Template for BumpAuthorDay {
    const SQL: &'static str = "INSERT INTO tag_day_authors (name, day, author_id, uses) \
        VALUES (?, ?, ?, ?) ON CONFLICT (name, day, author_id) \
        DO UPDATE SET uses = tag_day_authors.uses + excluded.uses RETURNING uses";
    type SqlType = BigInt;
}

/// A hashtag's uses and authors on a day, in a slot, changed by deltas.
struct BumpDay;

impl Template for BumpDay {
    const SQL: &'static str = "INSERT INTO tag_days (name, day, slot, uses, accounts) \
        VALUES (?, ?, ?, ?, ?) ON CONFLICT (name, day, slot) DO UPDATE SET \
        uses = tag_days.uses + excluded.uses, accounts = tag_days.accounts + excluded.accounts";
    type SqlType = ();
}

/// A hashtag's uses in a slot, changed by a delta.
struct BumpUses;

impl Template for BumpUses {
    const SQL: &'static str = "INSERT INTO tag_stats (name, slot, uses) VALUES (?, ?, ?) \
        ON CONFLICT (name, slot) DO UPDATE SET uses = tag_stats.uses + excluded.uses";
    type SqlType = ();
}

/// Uses and authors of a hashtag per day from `since` to `until` (day starts), as stored: days
/// without use are absent.
pub fn days(
    conn: &mut DbConnection,
    name: &str,
    since: i64,
    until: i64,
) -> DbResult<Vec<(i64, i64, i64)>> {
    let rows: Vec<(i64, i64, i64)> = tag_days::table
        .filter(tag_days::name.eq(name))
        .filter(tag_days::day.ge(since))
        .filter(tag_days::day.le(until))
        .select((tag_days::day, tag_days::uses, tag_days::accounts))
        .load(conn)?;
    let mut days = std::collections::BTreeMap::<i64, (i64, i64)>::new();
    for (day, uses, accounts) in rows {
        let sum = days.entry(day).or_default();
        *sum = (sum.0 + uses, sum.1 + accounts);
    }
    Ok(days.into_iter().map(|(d, (u, a))| (d, u, a)).collect())
}

fn bump(conn: &mut DbConnection, name: &str, slot: i32, delta: i64) -> DbResult<()> {
    let binds = vec![
        Bind::Text(name.to_string()),
        Bind::Int4(slot),
        Bind::Int(delta),
    ];
    direct!(conn, |c| Fixed::<BumpUses>::new(binds).execute(c))?;
    Ok(())
}

/// A new post's hashtags: counted when the post is live and public.
pub fn tagged_new(conn: &mut DbConnection, post: &PostRow, names: &[String]) -> DbResult<()> {
    if post.deleted_at.is_some() || post.visibility != PostVisibility::Public {
        return Ok(());
    }
    let after: BTreeSet<&String> = names.iter().collect();
    counted(
        conn,
        post.published,
        &post.author_id,
        &BTreeSet::new(),
        &after,
    )
}

/// Hashtags starting with `prefix` that live public posts here use, with how many posts use
/// each, most used first. Seeks by name: on SQLite through the primary key (a byte range), on
/// PostgreSQL through the pattern index (`text_pattern_ops`) with the same byte range, which,
/// unlike `LIKE $1`, it can seek without knowing the value; each name's slots are summed.
pub fn search(conn: &mut DbConnection, prefix: &str, limit: i64) -> DbResult<Vec<(String, i64)>> {
    use diesel::sql_types::{BigInt, Text};
    #[derive(QueryableByName)]
    struct Used {
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = BigInt)]
        uses: i64,
    }
    // A byte range, not `LIKE`: the prefix is matched as written, `_` included.
    let rows: Vec<Used> = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT name, SUM(uses) AS uses FROM tag_stats WHERE name >= ? AND name < ? \
             GROUP BY name HAVING SUM(uses) > 0 ORDER BY SUM(uses) DESC, name ASC LIMIT ?",
        )
        .bind::<Text, _>(prefix)
        .bind::<Text, _>(format!("{prefix}{}", char::MAX))
        .bind::<BigInt, _>(limit)
        .load(c)?,
        DbConnection::Postgresql(c) => diesel::sql_query(
            "SELECT name, CAST(SUM(uses) AS BIGINT) AS uses FROM tag_stats \
             WHERE name ~>=~ $1 AND name ~<~ $2 \
             GROUP BY name HAVING SUM(uses) > 0 ORDER BY SUM(uses) DESC, name ASC LIMIT $3",
        )
        .bind::<Text, _>(prefix)
        .bind::<Text, _>(format!("{prefix}{}", char::MAX))
        .bind::<BigInt, _>(limit)
        .load(c)?,
    };
    Ok(rows.into_iter().map(|u| (u.name, u.uses)).collect())
}
