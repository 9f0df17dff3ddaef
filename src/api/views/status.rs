//! The status entity of a post, personalized for the viewer.

use super::{account, acct, datetime, media_attachment, poll};
use crate::api::entities::StatusVisibility;
use crate::db::{self, actors::ActorRow, DbResult};

/// The status entity of a post. `viewer` personalizes the flags apps read when signed in.
pub fn status(
    conn: &mut db::DbConnection,
    post: &db::posts::PostRow,
    viewer: Option<&ActorRow>,
    base_url: &str,
) -> DbResult<crate::api::entities::Status> {
    use crate::api::entities::{Status, StatusMention};
    let author = db::actors::by_id(conn, &post.author_id)?.ok_or(db::DbError::NotFound)?;
    let group = match &post.group_id {
        Some(g) => db::actors::by_id(conn, g)?,
        None => None,
    };
    let parent = match &post.in_reply_to {
        Some(ap) => db::posts::by_ap_id(conn, ap)?,
        None => None,
    };
    let mentioned = db::tags::mentions_of(conn, &post.id)?;
    let mentions = group
        .iter()
        .chain(mentioned.iter())
        .map(|g| StatusMention {
            id: g.id.clone(),
            username: g.username.clone(),
            acct: acct(g),
            url: g.ap_id.clone(),
        })
        .collect();
    let visibility = match post.visibility.as_str() {
        "unlisted" => StatusVisibility::Unlisted,
        "private" | "followers" => StatusVisibility::Private,
        "direct" => StatusVisibility::Direct,
        _ => StatusVisibility::Public,
    };
    let content = match &post.name {
        Some(title) if !title.is_empty() => {
            format!(
                "<p><strong>{}</strong></p>{}",
                crate::domain::sanitize::escape(title),
                post.content
            )
        }
        _ => post.content.clone(),
    };
    let (favourites_count, reblogs_count) = db::interactions::counts(conn, &post.id)?;
    use db::interactions::Interaction::{Favourite, Reblog};
    let flags = match viewer {
        Some(v) => Some((
            db::interactions::find(conn, Favourite, &v.id, &post.id)?.is_some(),
            db::interactions::find(conn, Reblog, &v.id, &post.id)?.is_some(),
            db::interactions::is_bookmarked(conn, &v.id, &post.id)?,
        )),
        None => None,
    };
    Ok(Status {
        id: post.id.clone(),
        uri: post.ap_id.clone(),
        created_at: datetime(post.published),
        account: account(conn, &author, base_url)?,
        content,
        visibility,
        sensitive: post.sensitive,
        spoiler_text: post.summary.clone().unwrap_or_default(),
        media_attachments: db::media::of_post(conn, &post.id)?
            .iter()
            .map(|m| media_attachment(m, base_url))
            .collect(),
        mentions,
        tags: db::tags::of_post(conn, &post.id)?
            .into_iter()
            .map(|name| crate::api::entities::StatusTag {
                url: crate::urls::tag_url(base_url, &name),
                name,
            })
            .collect(),
        emojis: vec![],
        reblogs_count,
        favourites_count,
        replies_count: db::posts::count_replies(conn, &post.ap_id)?,
        url: Some(post.ap_id.clone()),
        in_reply_to_id: parent.as_ref().map(|p| p.id.clone()),
        in_reply_to_account_id: parent.as_ref().map(|p| p.author_id.clone()),
        reblog: None,
        poll: poll(conn, post, viewer)?,
        card: None,
        language: post.language.clone(),
        edited_at: post.updated.map(datetime),
        application: None,
        text: None,
        quotes_count: None,
        favourited: flags.map(|f| f.0),
        reblogged: flags.map(|f| f.1),
        muted: viewer.map(|_| false),
        bookmarked: flags.map(|f| f.2),
        pinned: None,
    })
}
