//! How many live public posts here use each hashtag (`tag_stats`), and per day how many and by
//! how many authors (`tag_days`, `tag_day_authors`), kept on every write that tags, untags or
//! deletes a public post, so hashtag search seeks by name and a hashtag's history reads a week of
//! rows instead of counting uses. Both counters are spread over slots chosen by the post's author
//! (`db::slots`) and read as sums, so members posting with the same hashtag at once do not queue
//! behind one row's lock.

use super::{
    schema::{posts, tag_day_authors, tag_days, tag_stats},
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
    let (day, slot) = (day_of(published), super::slots::slot_of(&author));
    for gone in before.difference(&after) {
        bump(conn, gone, slot, -1)?;
        bump_day(conn, gone, day, &author, -1)?;
    }
    for new in after.difference(&before) {
        bump(conn, new, slot, 1)?;
        bump_day(conn, new, day, &author, 1)?;
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
    let key = (name, day, author);
    super::insert_or_ignore!(
        conn,
        tag_day_authors::table,
        (
            tag_day_authors::name.eq(name),
            tag_day_authors::day.eq(day),
            tag_day_authors::author_id.eq(author),
            tag_day_authors::uses.eq(0i64)
        )
    )?;
    diesel::update(tag_day_authors::table.find(key))
        .set(tag_day_authors::uses.eq(tag_day_authors::uses + delta))
        .execute(conn)?;
    let uses: i64 = tag_day_authors::table
        .find(key)
        .select(tag_day_authors::uses)
        .first(conn)?;
    let accounts = match (delta, uses) {
        (1, 1) => 1,
        (-1, 0) => -1,
        _ => 0,
    };
    let slot = super::slots::slot_of(author);
    super::insert_or_ignore!(
        conn,
        tag_days::table,
        (
            tag_days::name.eq(name),
            tag_days::day.eq(day),
            tag_days::slot.eq(slot),
            tag_days::uses.eq(0i64),
            tag_days::accounts.eq(0i64)
        )
    )?;
    diesel::update(tag_days::table.find((name, day, slot)))
        .set((
            tag_days::uses.eq(tag_days::uses + delta),
            tag_days::accounts.eq(tag_days::accounts + accounts),
        ))
        .execute(conn)?;
    Ok(())
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
    super::insert_or_ignore!(
        conn,
        tag_stats::table,
        (
            tag_stats::name.eq(name),
            tag_stats::slot.eq(slot),
            tag_stats::uses.eq(0i64)
        )
    )?;
    diesel::update(tag_stats::table.find((name, slot)))
        .set(tag_stats::uses.eq(tag_stats::uses + delta))
        .execute(conn)?;
    Ok(())
}

/// Hashtags starting with `prefix` that live public posts here use, with how many posts use
/// each, most used first. Seeks by name: on SQLite through the primary key (a byte range), on
/// PostgreSQL through the pattern index of `LIKE 'prefix%'`; each name's slots are summed.
pub fn search(conn: &mut DbConnection, prefix: &str, limit: i64) -> DbResult<Vec<(String, i64)>> {
    use diesel::sql_types::{BigInt, Text};
    #[derive(QueryableByName)]
    struct Used {
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = BigInt)]
        uses: i64,
    }
    let prefix = prefix.replace(['%', '_', '\\'], "");
    let rows: Vec<Used> = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT name, SUM(uses) AS uses FROM tag_stats WHERE name >= ? AND name < ? \
             GROUP BY name HAVING SUM(uses) > 0 ORDER BY SUM(uses) DESC, name ASC LIMIT ?",
        )
        .bind::<Text, _>(&prefix)
        .bind::<Text, _>(format!("{prefix}{}", char::MAX))
        .bind::<BigInt, _>(limit)
        .load(c)?,
        DbConnection::Postgresql(c) => diesel::sql_query(
            "SELECT name, CAST(SUM(uses) AS BIGINT) AS uses FROM tag_stats WHERE name LIKE $1 \
             GROUP BY name HAVING SUM(uses) > 0 ORDER BY SUM(uses) DESC, name ASC LIMIT $2",
        )
        .bind::<Text, _>(format!("{prefix}%"))
        .bind::<BigInt, _>(limit)
        .load(c)?,
    };
    Ok(rows.into_iter().map(|u| (u.name, u.uses)).collect())
}
