//! Hashtags and mentions of posts.

use super::{schema::post_tags, DbConnection, DbResult};
use diesel::prelude::*;

/// Replaces the hashtags of a post (names lower-case, without `#`), keeping the hashtag counts.
pub fn set_for_post(conn: &mut DbConnection, post_id: &str, names: &[String]) -> DbResult<()> {
    let counted = super::tag_stats::counts(conn, post_id)?;
    let before = if counted {
        of_post(conn, post_id)?
    } else {
        vec![]
    };
    diesel::delete(post_tags::table.filter(post_tags::post_id.eq(post_id))).execute(conn)?;
    add_tags(conn, post_id, names)?;
    if counted {
        super::tag_stats::retagged(conn, post_id, &before, names)?;
    }
    Ok(())
}

/// The hashtags and mentions of a post just stored (nothing to replace), keeping the hashtag counts.
pub fn set_for_new_post(
    conn: &mut DbConnection,
    post: &super::posts::PostRow,
    names: &[String],
    mentioned: &[String],
) -> DbResult<()> {
    add_tags(conn, &post.id, names)?;
    super::tag_stats::tagged_new(conn, post, names)?;
    add_mentions(conn, &post.id, mentioned)
}

fn add_tags(conn: &mut DbConnection, post_id: &str, names: &[String]) -> DbResult<()> {
    for name in names {
        super::insert_or_ignore!(
            conn,
            post_tags::table,
            (post_tags::post_id.eq(post_id), post_tags::name.eq(name))
        )?;
    }
    Ok(())
}

fn add_mentions(conn: &mut DbConnection, post_id: &str, actor_ids: &[String]) -> DbResult<()> {
    use super::schema::post_mentions;
    for actor_id in actor_ids {
        super::insert_or_ignore!(
            conn,
            post_mentions::table,
            (
                post_mentions::post_id.eq(post_id),
                post_mentions::actor_id.eq(actor_id)
            )
        )?;
    }
    Ok(())
}

/// The hashtags of a post, by name.
pub fn of_post(conn: &mut DbConnection, post_id: &str) -> DbResult<Vec<String>> {
    Ok(post_tags::table
        .filter(post_tags::post_id.eq(post_id))
        .order(post_tags::name.asc())
        .select(post_tags::name)
        .load(conn)?)
}

/// Hashtags starting with `prefix` that public posts here use, with how many posts use each,
/// most used first.
pub fn search(conn: &mut DbConnection, prefix: &str, limit: i64) -> DbResult<Vec<(String, i64)>> {
    super::tag_stats::search(conn, prefix, limit)
}

/// Live public posts using a hashtag, and the distinct authors among them, per day (UTC, by
/// when the post was published) for the last `days` days, newest day first: `(day start in ms,
/// posts, authors)`. Reads the day counters: at most `days` rows whatever the use.
pub fn history(
    conn: &mut DbConnection,
    name: &str,
    now: i64,
    days: i64,
) -> DbResult<Vec<(i64, i64, i64)>> {
    const DAY: i64 = 86_400_000;
    let today = super::tag_stats::day_of(now);
    let since = today - (days - 1) * DAY;
    let rows = super::tag_stats::days(conn, name, since, today)?;
    Ok((0..days)
        .map(|d| {
            let start = today - d * DAY;
            rows.iter()
                .find(|(day, _, _)| *day == start)
                .map_or((start, 0, 0), |&(day, uses, accounts)| {
                    (day, uses, accounts)
                })
        })
        .collect())
}

/// Records the actors a post mentions (ids of stored actors).
pub fn set_mentions(conn: &mut DbConnection, post_id: &str, actor_ids: &[String]) -> DbResult<()> {
    use super::schema::post_mentions;
    diesel::delete(post_mentions::table.filter(post_mentions::post_id.eq(post_id)))
        .execute(conn)?;
    add_mentions(conn, post_id, actor_ids)
}

/// The actors a post mentions.
pub fn mentions_of(
    conn: &mut DbConnection,
    post_id: &str,
) -> DbResult<Vec<super::actors::ActorRow>> {
    use super::schema::{actors, post_mentions};
    Ok(post_mentions::table
        .inner_join(actors::table)
        .filter(post_mentions::post_id.eq(post_id))
        .order(actors::username.asc())
        .select(super::actors::ActorRow::as_select())
        .load(conn)?)
}

/// Whether a post mentions (addresses) the actor `actor_id`.
pub fn mentions(conn: &mut DbConnection, post_id: &str, actor_id: &str) -> DbResult<bool> {
    use super::schema::post_mentions;
    let n: i64 = post_mentions::table
        .filter(post_mentions::post_id.eq(post_id))
        .filter(post_mentions::actor_id.eq(actor_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The domains of the actors a post mentions (addresses).
pub fn mention_domains(conn: &mut DbConnection, post_id: &str) -> DbResult<Vec<String>> {
    use super::schema::{actors, post_mentions};
    Ok(post_mentions::table
        .inner_join(actors::table)
        .filter(post_mentions::post_id.eq(post_id))
        .select(actors::domain)
        .distinct()
        .load(conn)?)
}

/// Whether a post mentions (addresses) any actor that lives on `domain`.
pub fn mentions_on(conn: &mut DbConnection, post_id: &str, domain: &str) -> DbResult<bool> {
    use super::schema::{actors, post_mentions};
    let n: i64 = post_mentions::table
        .inner_join(actors::table)
        .filter(post_mentions::post_id.eq(post_id))
        .filter(actors::domain.eq(domain))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
