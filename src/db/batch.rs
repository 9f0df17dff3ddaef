//! Statements that carry several inbound posts at once: the inbox stores the posts that arrive
//! together for its local groups in one transaction (`federation::activities::batch`), one
//! statement per step for all of them instead of one per post. On PostgreSQL, where every
//! statement is a round trip to another process, each step is one statement over arrays of the
//! posts' values (`unnest`); on SQLite, where a statement is a function call, each post keeps its
//! own statement.

use super::{
    activities::ActivityRow,
    actors::ActorRow,
    interactions::{Interaction, InteractionRow},
    posts::PostRow,
    schema::{activities, actors, follows},
    DbConnection, DbResult, Kept,
};
use crate::domain::follow::FollowState;
use diesel::{
    sql_types::{Array, BigInt, Bool, Nullable, Text},
    ExpressionMethods, JoinOnDsl, QueryDsl, QueryableByName, RunQueryDsl, SelectableHelper,
};

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Of `follower_ids`, those whose follow of `target_id` is accepted (the group's members), each
/// with the target's row, read in the same statement.
pub fn members_among(
    conn: &mut DbConnection,
    target_id: &str,
    follower_ids: &[String],
) -> DbResult<Vec<(String, ActorRow)>> {
    Ok(super::direct!(conn, |c| follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::target_id)))
        .filter(follows::target_id.eq(target_id))
        .filter(super::ids_in(follows::follower_id, follower_ids))
        .filter(follows::state.eq(FollowState::Accepted.as_str()))
        .select((follows::follower_id, ActorRow::as_select()))
        .load(c))?)
}

/// Writes the mark "processed" for each of `ap_ids` that no delivery holds (as `record_received`
/// does for one); answers those written.
pub fn record_received(
    conn: &mut DbConnection,
    ap_ids: &[String],
    now: i64,
    lease_ms: i64,
) -> DbResult<Vec<String>> {
    let mut taken = match conn {
        DbConnection::Postgresql(c) => Kept(
            diesel::sql_query(
                "INSERT INTO received_activities (ap_id, received_at, done) \
                 SELECT unnest($1::text[]), $2, true ON CONFLICT DO NOTHING RETURNING ap_id AS id",
            )
            .bind::<Array<Text>, _>(ap_ids)
            .bind::<BigInt, _>(now),
        )
        .load::<Id>(c)?
        .into_iter()
        .map(|r| r.id)
        .collect(),
        DbConnection::Sqlite(_) => Vec::new(),
    };
    // On SQLite every id takes this path; on PostgreSQL only an id found marked.
    let rest: Vec<&String> = ap_ids.iter().filter(|id| !taken.contains(id)).collect();
    for id in rest {
        if super::activities::record_received(conn, id, now, lease_ms)? {
            taken.push(id.clone());
        }
    }
    Ok(taken)
}

/// Stores each of `rows` whose id and `ap_id` are new and counts the live ones for their authors
/// (as `posts::insert_if_new` does for one); answers the ids of the posts stored.
pub fn insert_posts(conn: &mut DbConnection, rows: &[PostRow]) -> DbResult<Vec<String>> {
    let DbConnection::Postgresql(c) = conn else {
        let mut new = Vec::new();
        for row in rows {
            if super::posts::insert_if_new(conn, row)? {
                new.push(row.id.clone());
            }
        }
        return Ok(new);
    };
    let text = |f: fn(&PostRow) -> &str| rows.iter().map(|r| f(r).to_string()).collect::<Vec<_>>();
    let opt = |f: fn(&PostRow) -> Option<&str>| {
        rows.iter()
            .map(|r| f(r).map(str::to_string))
            .collect::<Vec<_>>()
    };
    let q = diesel::sql_query(INSERT_POSTS)
        .bind::<Array<Text>, _>(text(|r| &r.id))
        .bind::<Array<Text>, _>(text(|r| &r.ap_id))
        .bind::<Array<Text>, _>(text(|r| &r.kind))
        .bind::<Array<Text>, _>(text(|r| &r.author_id))
        .bind::<Array<Nullable<Text>>, _>(opt(|r| r.group_id.as_deref()))
        .bind::<Array<Nullable<Text>>, _>(opt(|r| r.in_reply_to.as_deref()))
        .bind::<Array<Nullable<Text>>, _>(opt(|r| r.name.as_deref()))
        .bind::<Array<Nullable<Text>>, _>(opt(|r| r.summary.as_deref()))
        .bind::<Array<Text>, _>(text(|r| &r.content))
        .bind::<Array<Bool>, _>(rows.iter().map(|r| r.sensitive).collect::<Vec<_>>())
        .bind::<Array<Text>, _>(
            rows.iter()
                .map(|r| String::from(r.visibility))
                .collect::<Vec<_>>(),
        )
        .bind::<Array<Bool>, _>(rows.iter().map(|r| r.local).collect::<Vec<_>>())
        .bind::<Array<BigInt>, _>(rows.iter().map(|r| r.published).collect::<Vec<_>>())
        .bind::<Array<Nullable<BigInt>>, _>(rows.iter().map(|r| r.updated).collect::<Vec<_>>())
        .bind::<Array<Nullable<BigInt>>, _>(rows.iter().map(|r| r.deleted_at).collect::<Vec<_>>())
        .bind::<Array<BigInt>, _>(rows.iter().map(|r| r.created_at).collect::<Vec<_>>())
        .bind::<Array<Nullable<Text>>, _>(opt(|r| r.language.as_deref()));
    Ok(Kept(q).load::<Id>(c)?.into_iter().map(|r| r.id).collect())
}

/// The posts and, per author, how many of them are live and the newest one's time: the counters'
/// update reads what the insert wrote, in the same statement.
const INSERT_POSTS: &str = "WITH p AS (INSERT INTO posts (id, ap_id, kind, author_id, group_id, \
    in_reply_to, name, summary, content, sensitive, visibility, local, published, updated, \
    deleted_at, created_at, language) \
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
    $7::text[], $8::text[], $9::text[], $10::boolean[], $11::text[], $12::boolean[], \
    $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[], $17::text[]) \
    ON CONFLICT DO NOTHING RETURNING id, author_id, published, deleted_at), \
    n AS (SELECT author_id, count(*) AS added, max(published) AS newest FROM p \
    WHERE deleted_at IS NULL GROUP BY author_id), \
    counted AS (UPDATE actors SET statuses_count = statuses_count + n.added, \
    last_status_at = CASE WHEN last_status_at IS NULL OR last_status_at < n.newest \
    THEN n.newest ELSE last_status_at END \
    FROM n WHERE actors.id = n.author_id RETURNING 1) \
    SELECT id FROM p";

/// Stores authored activities (idempotent on `ap_id`), in one statement on PostgreSQL.
pub fn insert_activities(conn: &mut DbConnection, rows: &[ActivityRow]) -> DbResult<()> {
    match conn {
        DbConnection::Postgresql(c) if rows.len() > 1 => {
            diesel::insert_into(activities::table)
                .values(rows)
                .on_conflict_do_nothing()
                .execute(c)?;
        }
        _ => {
            for row in rows {
                super::activities::insert(conn, row)?;
            }
        }
    }
    Ok(())
}

/// Stores each of `rows` as a favourite unless its actor favourited the post already or its
/// `ap_id` is known (as `interactions::add` does for one); answers the ids of those stored.
pub fn add_favourites(conn: &mut DbConnection, rows: &[InteractionRow]) -> DbResult<Vec<String>> {
    let DbConnection::Postgresql(c) = conn else {
        let mut new = Vec::new();
        for row in rows {
            if super::interactions::add(conn, Interaction::Favourite, row)? {
                new.push(row.id.clone());
            }
        }
        return Ok(new);
    };
    let text =
        |f: fn(&InteractionRow) -> &str| rows.iter().map(|r| f(r).to_string()).collect::<Vec<_>>();
    let q = diesel::sql_query(
        "INSERT INTO favourites (id, actor_id, post_id, ap_id, created_at) \
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind::<Array<Text>, _>(text(|r| &r.id))
    .bind::<Array<Text>, _>(text(|r| &r.actor_id))
    .bind::<Array<Text>, _>(text(|r| &r.post_id))
    .bind::<Array<Text>, _>(text(|r| &r.ap_id))
    .bind::<Array<BigInt>, _>(rows.iter().map(|r| r.created_at).collect::<Vec<_>>());
    Ok(Kept(q).load::<Id>(c)?.into_iter().map(|r| r.id).collect())
}
