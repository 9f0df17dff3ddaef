//! The counts a page's posts show (favourites, boosts, live replies) and, for a signed-in reader,
//! their own marks on them (favourited, boosted, bookmarked, pinned) and the threads they muted:
//! one statement, a `UNION ALL` of key seeks, each row tagged with what it is.

use super::PageFacts;
use crate::db::{
    direct,
    fixed::{Bind, Fixed, Template},
    posts::PostRow,
    DbConnection, DbResult,
};
use diesel::sql_types::{BigInt, Text};

/// Favourites, boosts and live replies of the page's posts; replies are keyed by the parent's
/// `ap_id`.
macro_rules! counts_sql {
    () => {
        "SELECT post_id AS key, 'fav' AS kind, COUNT(*) AS n FROM favourites \
        WHERE post_id {in} GROUP BY post_id \
        UNION ALL SELECT post_id AS key, 'reb' AS kind, COUNT(*) AS n FROM reblogs \
        WHERE post_id {in} GROUP BY post_id \
        UNION ALL SELECT in_reply_to AS key, 'rep' AS kind, COUNT(*) AS n FROM posts \
        WHERE in_reply_to {in} AND deleted_at IS NULL GROUP BY in_reply_to"
    };
}

/// The counts alone, for an anonymous reader.
struct Counts;

impl Template for Counts {
    const SQL: &'static str = counts_sql!();
    type SqlType = (Text, Text, BigInt);
}

/// The counts and the reader's marks; `?` is the reader's id each time.
struct CountsAndMarks;

impl Template for CountsAndMarks {
    const SQL: &'static str = concat!(
        counts_sql!(),
        " UNION ALL SELECT post_id AS key, 'my-fav' AS kind, 1 AS n FROM favourites \
        WHERE actor_id = ? AND post_id {in} \
        UNION ALL SELECT post_id AS key, 'my-reb' AS kind, 1 AS n FROM reblogs \
        WHERE actor_id = ? AND post_id {in} \
        UNION ALL SELECT post_id AS key, 'my-bookmark' AS kind, 1 AS n FROM bookmarks \
        WHERE user_id = ? AND post_id {in} \
        UNION ALL SELECT post_id AS key, 'my-pin' AS kind, 1 AS n FROM pins \
        WHERE actor_id = ? AND post_id {in} \
        UNION ALL SELECT thread AS key, 'my-muted-thread' AS kind, 1 AS n FROM conversation_mutes \
        WHERE user_id = ?"
    );
    type SqlType = (Text, Text, BigInt);
}

impl PageFacts {
    /// Reads the counts of `posts` (never empty) and, with a `reader`, their marks; which posts
    /// are in threads the reader muted costs a walk up each post's thread when they muted any.
    pub(super) fn load_counts(
        &mut self,
        conn: &mut DbConnection,
        posts: &[&PostRow],
        reader: Option<&str>,
    ) -> DbResult<()> {
        let ids: Vec<&str> = posts.iter().map(|p| p.id.as_str()).collect();
        let ap_ids: Vec<&str> = posts.iter().map(|p| p.ap_id.as_str()).collect();
        let page = Bind::ids(&ids);
        let mut binds = vec![page.clone(), page.clone(), Bind::ids(&ap_ids)];
        let rows: Vec<(String, String, i64)> = match reader {
            None => direct!(conn, |c| Fixed::<Counts>::new(binds).load(c))?,
            Some(me) => {
                let me = Bind::Text(me.to_string());
                for _ in 0..4 {
                    binds.extend([me.clone(), page.clone()]);
                }
                binds.push(me);
                direct!(conn, |c| Fixed::<CountsAndMarks>::new(binds).load(c))?
            }
        };
        let mut muted_threads = Vec::new();
        for (key, kind, n) in rows {
            match kind.as_str() {
                "fav" => {
                    self.favourites.insert(key, n);
                }
                "reb" => {
                    self.reblogs.insert(key, n);
                }
                "rep" => {
                    self.replies.insert(key, n);
                }
                "my-fav" => {
                    self.favourited.insert(key);
                }
                "my-reb" => {
                    self.reblogged.insert(key);
                }
                "my-bookmark" => {
                    self.bookmarked.insert(key);
                }
                // Pins are shown on the reader's own posts only.
                "my-pin" => {
                    self.pinned.insert(key);
                }
                _ => muted_threads.push(key),
            }
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
