//! The reader's own marks on a page (favourited, boosted, bookmarked) and the threads they muted,
//! read in one statement: a `UNION ALL` of key seeks, each row tagged with what it is.

use super::PageFacts;
use crate::db::{
    fixed::{Bind, Fixed, Template},
    posts::PostRow,
    DbConnection, DbResult,
};
use diesel::sql_types::Text;

/// The reader's favourites, boosts and bookmarks among a page's posts, and the threads they muted.
struct Marks;

impl Template for Marks {
    const SQL: &'static str = "SELECT post_id AS key, 'f' AS kind FROM favourites \
        WHERE actor_id = ? AND post_id {in} \
        UNION ALL SELECT post_id AS key, 'r' AS kind FROM reblogs WHERE actor_id = ? AND post_id {in} \
        UNION ALL SELECT post_id AS key, 'b' AS kind FROM bookmarks WHERE user_id = ? AND post_id {in} \
        UNION ALL SELECT thread AS key, 'm' AS kind FROM conversation_mutes WHERE user_id = ?";
    type SqlType = (Text, Text);
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
        let me = || Bind::Text(me.to_string());
        let binds = vec![
            me(),
            Bind::ids(&ids),
            me(),
            Bind::ids(&ids),
            me(),
            Bind::ids(&ids),
            me(),
        ];
        let rows: Vec<(String, String)> =
            crate::db::direct!(conn, |c| Fixed::<Marks>::new(binds).load(c))?;
        let mut muted_threads = Vec::new();
        for (key, kind) in rows {
            match kind.as_str() {
                "f" => self.favourited.insert(key),
                "r" => self.reblogged.insert(key),
                "b" => self.bookmarked.insert(key),
                _ => {
                    muted_threads.push(key);
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
