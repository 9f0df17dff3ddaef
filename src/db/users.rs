//! Local accounts that can log in: the credentials and role beside a `Person` actor.

use super::{
    schema::{actors, users},
    DbConnection, DbError, DbResult,
};
use crate::db::actors::ActorRow;
use diesel::prelude::*;

/// Credentials and role of one local member.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub password_hash: String,
    pub role: String,
    pub created_at: i64,
}

/// Creates the actor and its account, counted in the week's registrations. Run inside the
/// caller's transaction (`Db::tx`), so that all three are stored or none.
pub fn insert_with_actor(
    conn: &mut DbConnection,
    actor: &ActorRow,
    user: &UserRow,
) -> DbResult<()> {
    super::actors::insert(conn, actor)?;
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)
        .map_err(|e| DbError::from_insert(e, "user"))?;
    super::weekly::bump(
        conn,
        super::weekly::Counter::Registrations,
        user.created_at,
        &user.id,
    )
}

/// A member and their account by username.
pub fn by_username(conn: &mut DbConnection, name: &str) -> DbResult<Option<(ActorRow, UserRow)>> {
    Ok(users::table
        .inner_join(actors::table)
        .filter(actors::username.eq(name))
        .filter(actors::local)
        .select((ActorRow::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()?)
}

/// Every local account, oldest first.
pub fn list(conn: &mut DbConnection) -> DbResult<Vec<(ActorRow, UserRow)>> {
    Ok(users::table
        .inner_join(actors::table)
        .order(users::created_at.asc())
        .select((ActorRow::as_select(), UserRow::as_select()))
        .load(conn)?)
}

/// Replaces a password hash; `NotFound` when the user does not exist.
pub fn set_password_hash(conn: &mut DbConnection, id: &str, hash: &str) -> DbResult<()> {
    let n = diesel::update(users::table.find(id))
        .set(users::password_hash.eq(hash))
        .execute(conn)?;
    if n == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// Number of accounts (NodeInfo, first-start detection).
pub fn count(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(users::table.count().get_result(conn)?)
}

/// Whether `id` is a local account (actors of remote members are not).
pub fn exists(conn: &mut DbConnection, id: &str) -> DbResult<bool> {
    let n: i64 = users::table.find(id).count().get_result(conn)?;
    Ok(n > 0)
}

/// The role of a local member (`admin` or `member`), `None` for anyone else.
pub fn role_of(conn: &mut DbConnection, id: &str) -> DbResult<Option<String>> {
    use super::schema::users;
    Ok(users::table
        .find(id)
        .select(users::role)
        .first(conn)
        .optional()?)
}
