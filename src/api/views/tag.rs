//! The tag entity of a hashtag, with its recent daily use.

use crate::db::{self, DbResult};

/// The tag entity of a hashtag: its page, a week of daily use on this node and, for a signed-in
/// `reader` (an actor id), whether they follow it.
pub fn tag(
    conn: &mut db::DbConnection,
    name: &str,
    reader: Option<&str>,
    base_url: &str,
) -> DbResult<crate::api::entities::Tag> {
    use crate::api::entities::{Tag, TagHistory};
    let history = db::tags::history(conn, name, crate::domain::time::now_ms(), 7)?
        .into_iter()
        .map(|(day, uses, accounts)| TagHistory {
            day: (day / 1000).to_string(),
            uses: uses.to_string(),
            accounts: accounts.to_string(),
        })
        .collect();
    let following = match reader {
        Some(me) => Some(!db::followed_tags::followed_among(conn, me, &[name])?.is_empty()),
        None => None,
    };
    Ok(Tag {
        id: name.to_string(),
        name: name.to_string(),
        url: crate::urls::tag_url(base_url, name),
        history,
        following,
    })
}
