//! The reader's own marks on a page (favourited, boosted, bookmarked) and the threads they muted,
//! read in one statement: a `UNION ALL` of key seeks, each row tagged with what it is.

use super::PageFacts;
use crate::db::{posts::PostRow, DbConnection, DbResult};
use diesel::{prelude::*, sql_types::Text};

#[derive(QueryableByName)]
struct Mark {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Text)]
    kind: String,
}

/// The statement and its binds; `mark(n)` writes the n-th parameter.
fn statement(ids: &[&str], me: &str, mark: &dyn Fn(usize) -> String) -> (String, Vec<String>) {
    let mut binds: Vec<String> = Vec::new();
    let mut parts = Vec::new();
    for (table, reader, kind) in [
        ("favourites", "actor_id", "f"),
        ("reblogs", "actor_id", "r"),
        ("bookmarks", "user_id", "b"),
    ] {
        binds.push(me.to_string());
        let who = mark(binds.len());
        let mut set = Vec::with_capacity(ids.len());
        for id in ids {
            binds.push(id.to_string());
            set.push(mark(binds.len()));
        }
        parts.push(format!(
            "SELECT post_id AS key, '{kind}' AS kind FROM {table} WHERE {reader} = {who} \
             AND post_id IN ({})",
            set.join(", ")
        ));
    }
    binds.push(me.to_string());
    parts.push(format!(
        "SELECT thread AS key, 'm' AS kind FROM conversation_mutes WHERE user_id = {}",
        mark(binds.len())
    ));
    (parts.join(" UNION ALL "), binds)
}

impl PageFacts {
    /// Reads the reader's marks on `posts` (never empty) and which of them are in threads the
    /// reader muted: one statement, plus a walk up each post's thread when they muted any.
    pub(super) fn load_marks(
        &mut self,
        conn: &mut DbConnection,
        posts: &[&PostRow],
        me: &str,
    ) -> DbResult<()> {
        let ids: Vec<&str> = posts.iter().map(|p| p.id.as_str()).collect();
        let rows: Vec<Mark> = match conn {
            DbConnection::Sqlite(c) => {
                let (sql, binds) = statement(&ids, me, &|_| "?".to_string());
                let mut q = diesel::sql_query(sql).into_boxed();
                for v in binds {
                    q = q.bind::<Text, _>(v);
                }
                q.load(c)?
            }
            DbConnection::Postgresql(c) => {
                let (sql, binds) = statement(&ids, me, &|n| format!("${n}"));
                let mut q = diesel::sql_query(sql).into_boxed();
                for v in binds {
                    q = q.bind::<Text, _>(v);
                }
                q.load(c)?
            }
        };
        let mut muted_threads = Vec::new();
        for m in rows {
            match m.kind.as_str() {
                "f" => self.favourited.insert(m.key),
                "r" => self.reblogged.insert(m.key),
                "b" => self.bookmarked.insert(m.key),
                _ => {
                    muted_threads.push(m.key);
                    true
                }
            };
        }
        if muted_threads.is_empty() {
            return Ok(());
        }
        for p in posts {
            if muted_threads.contains(&crate::db::posts::thread_key(conn, p)?) {
                self.muted.insert(p.id.clone());
            }
        }
        Ok(())
    }
}
