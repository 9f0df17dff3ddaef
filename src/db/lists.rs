//! A member's lists and the accounts on them. Every read is keyed by the owner, so another
//! member's list is the same as a missing one.

use super::{
    actors::ActorRow,
    schema::{actors, list_accounts, lists},
    DbConnection, DbResult,
};
use diesel::prelude::*;

/// A stored list.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = lists)]
pub struct ListRow {
    pub id: String,
    pub user_id: String,
    pub title: String,
    pub replies_policy: String,
    pub exclusive: bool,
    pub created_at: i64,
}

/// Stores a new list.
pub fn insert(conn: &mut DbConnection, row: &ListRow) -> DbResult<()> {
    diesel::insert_into(lists::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// A member's list by id (none when it is someone else's).
pub fn get(conn: &mut DbConnection, user_id: &str, id: &str) -> DbResult<Option<ListRow>> {
    Ok(lists::table
        .filter(lists::id.eq(id))
        .filter(lists::user_id.eq(user_id))
        .select(ListRow::as_select())
        .first(conn)
        .optional()?)
}

/// A member's lists, oldest first.
pub fn of_user(conn: &mut DbConnection, user_id: &str) -> DbResult<Vec<ListRow>> {
    Ok(lists::table
        .filter(lists::user_id.eq(user_id))
        .order(lists::id.asc())
        .select(ListRow::as_select())
        .load(conn)?)
}

/// Saves a list's title, replies policy and exclusiveness.
pub fn update(conn: &mut DbConnection, row: &ListRow) -> DbResult<()> {
    diesel::update(lists::table.filter(lists::id.eq(&row.id)))
        .set((
            lists::title.eq(&row.title),
            lists::replies_policy.eq(&row.replies_policy),
            lists::exclusive.eq(row.exclusive),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes a list (its accounts go with it).
pub fn delete(conn: &mut DbConnection, id: &str) -> DbResult<()> {
    diesel::delete(list_accounts::table.filter(list_accounts::list_id.eq(id))).execute(conn)?;
    diesel::delete(lists::table.filter(lists::id.eq(id))).execute(conn)?;
    Ok(())
}

/// Puts accounts on a list (those already there stay once).
pub fn add_accounts(conn: &mut DbConnection, list_id: &str, actor_ids: &[String]) -> DbResult<()> {
    let now = crate::domain::time::now_ms();
    for a in actor_ids {
        super::insert_or_ignore!(
            &mut *conn,
            list_accounts::table,
            (
                list_accounts::list_id.eq(list_id),
                list_accounts::actor_id.eq(a),
                list_accounts::created_at.eq(now),
            )
        )?;
    }
    Ok(())
}

/// Takes accounts off a list.
pub fn remove_accounts(
    conn: &mut DbConnection,
    list_id: &str,
    actor_ids: &[String],
) -> DbResult<()> {
    diesel::delete(
        list_accounts::table
            .filter(list_accounts::list_id.eq(list_id))
            .filter(list_accounts::actor_id.eq_any(actor_ids)),
    )
    .execute(conn)?;
    Ok(())
}

/// Takes an account off every list of a member (when the member stops following it).
pub fn remove_everywhere(conn: &mut DbConnection, user_id: &str, actor_id: &str) -> DbResult<()> {
    let owned = lists::table
        .filter(lists::user_id.eq(user_id))
        .select(lists::id);
    diesel::delete(
        list_accounts::table
            .filter(list_accounts::actor_id.eq(actor_id))
            .filter(list_accounts::list_id.eq_any(owned)),
    )
    .execute(conn)?;
    Ok(())
}

/// The ids of the accounts on a list.
pub fn account_ids(conn: &mut DbConnection, list_id: &str) -> DbResult<Vec<String>> {
    Ok(list_accounts::table
        .filter(list_accounts::list_id.eq(list_id))
        .select(list_accounts::actor_id)
        .load(conn)?)
}

/// A page of a list's accounts by actor id (keyset: `max_id`/`since_id` on actor ids).
pub fn accounts_page(
    conn: &mut DbConnection,
    list_id: &str,
    max: Option<&str>,
    min: Option<&str>,
    limit: Option<i64>,
) -> DbResult<Vec<ActorRow>> {
    let mut q = list_accounts::table
        .inner_join(actors::table)
        .filter(list_accounts::list_id.eq(list_id))
        .select(ActorRow::as_select())
        .order(actors::id.desc())
        .into_boxed();
    if let Some(m) = max {
        q = q.filter(actors::id.lt(m.to_string()));
    }
    if let Some(m) = min {
        q = q.filter(actors::id.gt(m.to_string()));
    }
    if let Some(l) = limit {
        q = q.limit(l);
    }
    Ok(q.load(conn)?)
}

/// The member's lists that hold `actor_id`.
pub fn holding(conn: &mut DbConnection, user_id: &str, actor_id: &str) -> DbResult<Vec<ListRow>> {
    Ok(lists::table
        .inner_join(list_accounts::table)
        .filter(lists::user_id.eq(user_id))
        .filter(list_accounts::actor_id.eq(actor_id))
        .order(lists::id.asc())
        .select(ListRow::as_select())
        .load(conn)?)
}

/// The accounts a member has on exclusive lists (their posts stay out of the home timeline).
pub fn exclusive_accounts(conn: &mut DbConnection, user_id: &str) -> DbResult<Vec<String>> {
    Ok(lists::table
        .inner_join(list_accounts::table)
        .filter(lists::user_id.eq(user_id))
        .filter(lists::exclusive.eq(true))
        .select(list_accounts::actor_id)
        .distinct()
        .load(conn)?)
}

/// The authors of the posts with these ActivityPub ids (the parents of a page's replies), as
/// `(ap_id, author_id)`, in one statement.
pub fn authors_of(conn: &mut DbConnection, ap_ids: &[&str]) -> DbResult<Vec<(String, String)>> {
    use super::schema::posts;
    if ap_ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(posts::table
        .filter(posts::ap_id.eq_any(ap_ids))
        .select((posts::ap_id, posts::author_id))
        .load(conn)?)
}
