//! A member's filters with their keywords and statuses. Reads are keyed by the owner, so another
//! member's filter is the same as a missing one.

use super::{
    schema::{filter_keywords, filter_statuses, filters},
    DbConnection, DbResult,
};
use diesel::prelude::*;

/// A stored filter; `context` is a comma-separated list of contexts.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = filters)]
pub struct FilterRow {
    pub id: String,
    pub user_id: String,
    pub title: String,
    pub context: String,
    pub filter_action: String,
    pub expires_at: Option<i64>,
    pub created_at: i64,
}

/// A keyword of a filter.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = filter_keywords)]
pub struct KeywordRow {
    pub id: String,
    pub filter_id: String,
    pub keyword: String,
    pub whole_word: bool,
    pub created_at: i64,
}

/// A status a filter names.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = filter_statuses)]
pub struct StatusRow {
    pub id: String,
    pub filter_id: String,
    pub post_id: String,
    pub created_at: i64,
}

/// A filter with everything it matches.
#[derive(Debug, Clone)]
pub struct FullFilter {
    pub filter: FilterRow,
    pub keywords: Vec<KeywordRow>,
    pub statuses: Vec<StatusRow>,
}

/// Stores a filter.
pub fn insert(conn: &mut DbConnection, row: &FilterRow) -> DbResult<()> {
    diesel::insert_into(filters::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Saves a filter's title, context, action and expiry.
pub fn update(conn: &mut DbConnection, row: &FilterRow) -> DbResult<()> {
    diesel::update(filters::table.filter(filters::id.eq(&row.id)))
        .set((
            filters::title.eq(&row.title),
            filters::context.eq(&row.context),
            filters::filter_action.eq(&row.filter_action),
            filters::expires_at.eq(row.expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes a filter with its keywords and statuses.
pub fn delete(conn: &mut DbConnection, id: &str) -> DbResult<()> {
    diesel::delete(filter_keywords::table.filter(filter_keywords::filter_id.eq(id)))
        .execute(conn)?;
    diesel::delete(filter_statuses::table.filter(filter_statuses::filter_id.eq(id)))
        .execute(conn)?;
    diesel::delete(filters::table.filter(filters::id.eq(id))).execute(conn)?;
    Ok(())
}

/// A member's filter by id.
pub fn get(conn: &mut DbConnection, user_id: &str, id: &str) -> DbResult<Option<FilterRow>> {
    Ok(filters::table
        .filter(filters::id.eq(id))
        .filter(filters::user_id.eq(user_id))
        .select(FilterRow::as_select())
        .first(conn)
        .optional()?)
}

/// A member's filters with their keywords and statuses, oldest first; with `now`, only those
/// that have not expired.
pub fn of_user(
    conn: &mut DbConnection,
    user_id: &str,
    now: Option<i64>,
) -> DbResult<Vec<FullFilter>> {
    let mut q = filters::table
        .filter(filters::user_id.eq(user_id))
        .order(filters::id.asc())
        .select(FilterRow::as_select())
        .into_boxed();
    if let Some(now) = now {
        q = q.filter(
            filters::expires_at
                .is_null()
                .or(filters::expires_at.gt(now)),
        );
    }
    let rows: Vec<FilterRow> = q.load(conn)?;
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<&str> = rows.iter().map(|f| f.id.as_str()).collect();
    let keywords: Vec<KeywordRow> = filter_keywords::table
        .filter(filter_keywords::filter_id.eq_any(&ids))
        .order(filter_keywords::id.asc())
        .select(KeywordRow::as_select())
        .load(conn)?;
    let statuses: Vec<StatusRow> = filter_statuses::table
        .filter(filter_statuses::filter_id.eq_any(&ids))
        .order(filter_statuses::id.asc())
        .select(StatusRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|filter| FullFilter {
            keywords: keywords
                .iter()
                .filter(|k| k.filter_id == filter.id)
                .cloned()
                .collect(),
            statuses: statuses
                .iter()
                .filter(|s| s.filter_id == filter.id)
                .cloned()
                .collect(),
            filter,
        })
        .collect())
}

/// One filter of a member with its keywords and statuses.
pub fn full(conn: &mut DbConnection, user_id: &str, id: &str) -> DbResult<Option<FullFilter>> {
    Ok(of_user(conn, user_id, None)?
        .into_iter()
        .find(|f| f.filter.id == id))
}

/// Adds a keyword.
pub fn insert_keyword(conn: &mut DbConnection, row: &KeywordRow) -> DbResult<()> {
    diesel::insert_into(filter_keywords::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// A keyword by id, with the filter it belongs to if that is the member's.
pub fn keyword(
    conn: &mut DbConnection,
    user_id: &str,
    id: &str,
) -> DbResult<Option<(KeywordRow, FilterRow)>> {
    let Some(k) = filter_keywords::table
        .filter(filter_keywords::id.eq(id))
        .select(KeywordRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    Ok(get(conn, user_id, &k.filter_id)?.map(|f| (k, f)))
}

/// Changes a keyword.
pub fn update_keyword(conn: &mut DbConnection, row: &KeywordRow) -> DbResult<()> {
    diesel::update(filter_keywords::table.filter(filter_keywords::id.eq(&row.id)))
        .set((
            filter_keywords::keyword.eq(&row.keyword),
            filter_keywords::whole_word.eq(row.whole_word),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes a keyword.
pub fn delete_keyword(conn: &mut DbConnection, id: &str) -> DbResult<()> {
    diesel::delete(filter_keywords::table.filter(filter_keywords::id.eq(id))).execute(conn)?;
    Ok(())
}

/// Adds a status to a filter (once).
pub fn insert_status(conn: &mut DbConnection, row: &StatusRow) -> DbResult<usize> {
    Ok(super::insert_or_ignore!(
        &mut *conn,
        filter_statuses::table,
        row
    )?)
}

/// A filtered status by id, with its filter if that is the member's.
pub fn status(
    conn: &mut DbConnection,
    user_id: &str,
    id: &str,
) -> DbResult<Option<(StatusRow, FilterRow)>> {
    let Some(s) = filter_statuses::table
        .filter(filter_statuses::id.eq(id))
        .select(StatusRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    Ok(get(conn, user_id, &s.filter_id)?.map(|f| (s, f)))
}

/// The filter's row for a post, if the post is on it.
pub fn status_of(
    conn: &mut DbConnection,
    filter_id: &str,
    post_id: &str,
) -> DbResult<Option<StatusRow>> {
    Ok(filter_statuses::table
        .filter(filter_statuses::filter_id.eq(filter_id))
        .filter(filter_statuses::post_id.eq(post_id))
        .select(StatusRow::as_select())
        .first(conn)
        .optional()?)
}

/// Removes a status from its filter.
pub fn delete_status(conn: &mut DbConnection, id: &str) -> DbResult<()> {
    diesel::delete(filter_statuses::table.filter(filter_statuses::id.eq(id))).execute(conn)?;
    Ok(())
}
