//! The status entity of a post, personalized for the viewer, from the facts read for its page.

use super::{account_of, acct, datetime, media_attachment, poll_of};
use crate::api::entities::{Status, StatusMention, StatusTag, StatusVisibility};
use crate::db::{self, actors::ActorRow, page::PageFacts, posts::PostRow, DbResult};

/// The status entities of a page of posts, in order, read in a fixed number of statements.
pub fn statuses(
    conn: &mut db::DbConnection,
    posts: &[PostRow],
    viewer: Option<&ActorRow>,
    base_url: &str,
) -> DbResult<Vec<Status>> {
    let refs: Vec<&PostRow> = posts.iter().collect();
    let facts = PageFacts::load(conn, &refs, &[], viewer.map(|v| v.id.as_str()))?;
    posts
        .iter()
        .map(|p| status_of(&facts, p, viewer, base_url))
        .collect()
}

/// The status entity of one post.
pub fn status(
    conn: &mut db::DbConnection,
    post: &PostRow,
    viewer: Option<&ActorRow>,
    base_url: &str,
) -> DbResult<Status> {
    let mut one = statuses(conn, std::slice::from_ref(post), viewer, base_url)?;
    one.pop().ok_or(db::DbError::NotFound)
}

fn visibility(post: &PostRow) -> StatusVisibility {
    match post.visibility.as_str() {
        "unlisted" => StatusVisibility::Unlisted,
        "private" | "followers" => StatusVisibility::Private,
        "direct" => StatusVisibility::Direct,
        _ => StatusVisibility::Public,
    }
}

/// The status entity of `post` from facts that include it.
pub fn status_of(
    facts: &PageFacts,
    post: &PostRow,
    viewer: Option<&ActorRow>,
    base_url: &str,
) -> DbResult<Status> {
    let author = facts
        .actors
        .get(&post.author_id)
        .ok_or(db::DbError::NotFound)?;
    let group = post.group_id.as_ref().and_then(|g| facts.actors.get(g));
    let parent = post
        .in_reply_to
        .as_ref()
        .and_then(|ap| facts.parents.get(ap));
    let mentioned = facts.mentions.get(&post.id).into_iter().flatten();
    let mentions = group
        .into_iter()
        .chain(mentioned.filter_map(|id| facts.actors.get(id)))
        .map(|g| StatusMention {
            id: g.id.clone(),
            username: g.username.clone(),
            acct: acct(g),
            url: g.ap_id.clone(),
        })
        .collect();
    let content = match &post.name {
        Some(title) if !title.is_empty() => format!(
            "<p><strong>{}</strong></p>{}",
            crate::domain::sanitize::escape(title),
            post.content
        ),
        _ => post.content.clone(),
    };
    let count =
        |m: &std::collections::HashMap<String, i64>, k: &str| m.get(k).copied().unwrap_or(0);
    let signed_in = viewer.is_some();
    let mark = |set: &std::collections::HashSet<String>| signed_in.then(|| set.contains(&post.id));
    Ok(Status {
        id: post.id.clone(),
        uri: post.ap_id.clone(),
        created_at: datetime(post.published),
        account: account_of(facts, author, base_url),
        content,
        visibility: visibility(post),
        sensitive: post.sensitive,
        spoiler_text: post.summary.clone().unwrap_or_default(),
        media_attachments: facts
            .media
            .get(&post.id)
            .into_iter()
            .flatten()
            .map(|m| media_attachment(m, base_url))
            .collect(),
        mentions,
        tags: facts
            .tags
            .get(&post.id)
            .into_iter()
            .flatten()
            .map(|name| StatusTag {
                url: crate::urls::tag_url(base_url, name),
                name: name.clone(),
            })
            .collect(),
        emojis: vec![],
        reblogs_count: count(&facts.reblogs, &post.id),
        favourites_count: count(&facts.favourites, &post.id),
        replies_count: count(&facts.replies, &post.ap_id),
        url: Some(post.ap_id.clone()),
        in_reply_to_id: parent.map(|p| p.0.clone()),
        in_reply_to_account_id: parent.map(|p| p.1.clone()),
        reblog: None,
        poll: poll_of(facts, post, viewer),
        card: None,
        language: post.language.clone(),
        edited_at: post.updated.map(datetime),
        application: None,
        text: None,
        quotes_count: None,
        favourited: mark(&facts.favourited),
        reblogged: mark(&facts.reblogged),
        muted: mark(&facts.muted),
        bookmarked: mark(&facts.bookmarked),
        // Shown on the reader's own posts only, as Mastodon does.
        pinned: viewer
            .filter(|v| v.id == post.author_id)
            .map(|_| facts.pinned.contains(&post.id)),
        filtered: None,
    })
}
