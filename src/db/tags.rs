//! Hashtags and mentions of posts.

use super::{
    schema::{post_tags, posts},
    DbConnection, DbResult,
};
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
    for name in names {
        super::insert_or_ignore!(
            conn,
            post_tags::table,
            (post_tags::post_id.eq(post_id), post_tags::name.eq(name))
        )?;
    }
    if counted {
        super::tag_stats::retagged(conn, &before, names)?;
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

/// Public posts using a hashtag, and the distinct authors among them, per day (UTC) for the last
/// `days` days, newest day first: `(day start in ms, posts, authors)`.
pub fn history(
    conn: &mut DbConnection,
    name: &str,
    now: i64,
    days: i64,
) -> DbResult<Vec<(i64, i64, i64)>> {
    const DAY: i64 = 86_400_000;
    let today = now - now.rem_euclid(DAY);
    let since = today - (days - 1) * DAY;
    let rows: Vec<(i64, String)> = post_tags::table
        .inner_join(posts::table)
        .filter(post_tags::name.eq(name))
        // Post ids are ULIDs of when the post was stored here, never before it was published
        // (give or take a peer's clock): a seek on the tag's index instead of all its uses.
        .filter(post_tags::post_id.ge(id_floor(since - DAY)))
        .filter(posts::deleted_at.is_null())
        .filter(posts::visibility.eq("public"))
        .filter(posts::published.ge(since))
        .select((posts::published, posts::author_id))
        .load(conn)?;
    Ok((0..days)
        .map(|d| {
            let start = today - d * DAY;
            let of_day: Vec<&String> = rows
                .iter()
                .filter(|(p, _)| *p >= start && *p < start + DAY)
                .map(|(_, a)| a)
                .collect();
            let mut authors = of_day.clone();
            authors.sort();
            authors.dedup();
            (start, of_day.len() as i64, authors.len() as i64)
        })
        .collect())
}

/// Records the actors a post mentions (ids of stored actors).
pub fn set_mentions(conn: &mut DbConnection, post_id: &str, actor_ids: &[String]) -> DbResult<()> {
    use super::schema::post_mentions;
    diesel::delete(post_mentions::table.filter(post_mentions::post_id.eq(post_id)))
        .execute(conn)?;
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

/// The smallest ULID of a moment (milliseconds since the epoch).
fn id_floor(ms: i64) -> String {
    ulid::Ulid::from_parts(ms.max(0) as u64, 0).to_string()
}
