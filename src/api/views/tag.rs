//! The tag entity of a hashtag, with its recent daily use.

use crate::db::{self, DbResult};

/// The tag entity of a hashtag: its page and a week of daily use on this node.
pub fn tag(
    conn: &mut db::DbConnection,
    name: &str,
    signed_in: bool,
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
    Ok(Tag {
        id: name.to_string(),
        name: name.to_string(),
        url: crate::urls::tag_url(base_url, name),
        history,
        following: signed_in.then_some(false),
    })
}
