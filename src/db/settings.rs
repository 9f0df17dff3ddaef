//! Small node-wide values (first-start state) as key/value text.

use super::{schema::settings, DbConnection, DbResult};
use diesel::prelude::*;

/// A setting's value.
pub fn get(conn: &mut DbConnection, key: &str) -> DbResult<Option<String>> {
    Ok(settings::table
        .find(key)
        .select(settings::value)
        .first(conn)
        .optional()?)
}

/// Sets a value, replacing any previous one.
pub fn set(conn: &mut DbConnection, key: &str, value: &str) -> DbResult<()> {
    let n = diesel::update(settings::table.find(key))
        .set(settings::value.eq(value))
        .execute(conn)?;
    if n == 0 {
        super::insert_or_ignore!(
            conn,
            settings::table,
            (settings::key.eq(key), settings::value.eq(value))
        )?;
    }
    Ok(())
}

/// Sets a value only when the key is absent; returns whether it was set (first writer wins).
pub fn set_if_absent(conn: &mut DbConnection, key: &str, value: &str) -> DbResult<bool> {
    Ok(super::insert_or_ignore!(
        conn,
        settings::table,
        (settings::key.eq(key), settings::value.eq(value))
    )? > 0)
}
