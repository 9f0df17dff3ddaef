//! Storing a peer's post: the row and what comes with it (tags, mentions, notifications, poll,
//! attachments, proposal terms), on a connection the caller holds, so a use case can store the
//! post and queue what it sends in one transaction.

use super::{remote_media, remote_poll};
use crate::{
    db::{self, actors::ActorRow, posts::PostRow, DbConnection},
    domain::{ids::new_id, time},
    error::AppError,
    federation::{
        jsonld,
        protocol::{note::ApubNote, TextOrMap},
        sanitize,
    },
    service::{events::Event, outbound::Intents, proposals::federated::Terms},
};
use url::Url;

/// A post ready to be stored.
pub struct Prepared {
    row: PostRow,
    terms: Option<Terms>,
    note: ApubNote,
    hashtags: Vec<String>,
    mentioned: Vec<String>,
}

impl Prepared {
    /// The post's ActivityPub id.
    pub fn ap_id(&self) -> &str {
        &self.row.ap_id
    }

    /// The row to be stored.
    pub fn row(&self) -> &PostRow {
        &self.row
    }

    /// Whether it carries a proposal's terms.
    pub fn is_proposal(&self) -> bool {
        self.terms.is_some()
    }
}

/// Converts a peer's post by `author` (in `group`, if any) to what `store_in` stores.
pub fn prepare(
    json: ApubNote,
    author: &ActorRow,
    group: Option<&ActorRow>,
) -> Result<Prepared, AppError> {
    let now = time::now_ms();
    let content = json
        .content
        .as_ref()
        .and_then(TextOrMap::text)
        .unwrap_or_default();
    let row = PostRow {
        id: new_id(),
        ap_id: json.id.to_string(),
        kind: json.kind.clone(),
        author_id: author.id.clone(),
        group_id: group.map(|g| g.id.clone()),
        in_reply_to: json.in_reply_to.as_ref().map(Url::to_string),
        name: json
            .name
            .as_ref()
            .and_then(TextOrMap::text)
            .map(|n| sanitize::plain(&n)),
        summary: json
            .summary
            .as_deref()
            .map(sanitize::plain)
            .filter(|s| !s.is_empty()),
        content: sanitize::html(&content),
        sensitive: json.sensitive.unwrap_or(false),
        visibility: crate::federation::objects::note::visibility_of(&json, author, group),
        local: false,
        published: json
            .published
            .as_deref()
            .and_then(time::from_rfc3339)
            .unwrap_or(now),
        updated: json.updated.as_deref().and_then(time::from_rfc3339),
        deleted_at: None,
        created_at: now,
        language: json.language(),
    };
    let terms = match json.proposal.is_proposal() {
        true => Some(crate::federation::activities::proposal::terms(&json)?),
        false => None,
    };
    // A note's addressees count among its mentions, but neither the public collection nor the
    // post's own group is a mention.
    let mentioned = json
        .mentions()
        .iter()
        .map(Url::to_string)
        .filter(|h| !jsonld::is_public(h) && group.is_none_or(|g| &g.ap_id != h))
        .collect();
    Ok(Prepared {
        row,
        terms,
        hashtags: json.hashtags(),
        mentioned,
        note: json,
    })
}

/// Stores (or updates) the post, raising its live event; answers the stored row.
pub fn store_in(c: &mut DbConnection, out: &mut Intents, p: Prepared) -> Result<PostRow, AppError> {
    // Most posts arrive once: stored as prepared, with nothing to read back. Otherwise the stored
    // copy is an edit's (or a deleted post's, left as it is).
    let first_seen = db::posts::insert_if_new(c, &p.row)?;
    let (stored, told) = complete(c, out, p, first_seen)?;
    if let Some(mentioned) = told {
        crate::service::notifications::for_new_post(c, out, &stored, &mentioned)?;
    }
    Ok(stored)
}

/// What follows the insert of a post's row (`first_seen`: it was new, else the stored copy is
/// edited): its event, tags, mentions, conversation, attachments, poll and terms. Answers the
/// stored row and, for a new post, the actors it mentions: they, and the followers who asked,
/// are to be told of it (`notifications::for_new_posts`, for several posts at once).
pub fn complete(
    c: &mut DbConnection,
    out: &mut Intents,
    p: Prepared,
    first_seen: bool,
) -> Result<(PostRow, Option<Vec<ActorRow>>), AppError> {
    let Prepared {
        row,
        terms,
        note: note_for_media,
        hashtags,
        mentioned,
    } = p;
    let now = row.created_at;
    // Most posts arrive once: stored as prepared, with nothing to read back. Otherwise the stored
    // copy is an edit's (or a deleted post's, left as it is).
    let stored = match first_seen {
        true => {
            out.event(Event::Posted {
                post_id: row.id.clone(),
            });
            row
        }
        false => {
            let existing = db::posts::by_ap_id(c, &row.ap_id)?.ok_or(db::DbError::NotFound)?;
            crate::federation::post_origin::check_stored(&existing, &row.author_id)?;
            if existing.deleted_at.is_some() {
                existing
            } else {
                db::posts::update_content(
                    c,
                    &existing,
                    &row.content,
                    row.name.as_deref(),
                    row.summary.as_deref(),
                    row.sensitive,
                    row.updated.unwrap_or(now),
                )?;
                let edited = db::posts::by_ap_id(c, &row.ap_id)?.ok_or(db::DbError::NotFound)?;
                out.event(Event::Edited {
                    post_id: edited.id.clone(),
                });
                edited
            }
        }
    };
    let mut told = None;
    if !stored.local {
        let mut known = match mentioned.is_empty() {
            true => vec![],
            false => db::actors::by_ap_ids(c, &mentioned)?,
        };
        known.retain(|a| a.kind != "Group");
        let ids: Vec<String> = known.iter().map(|a| a.id.clone()).collect();
        // A new post has no hashtags, mentions or attachments yet: nothing to replace.
        if first_seen {
            db::tags::set_for_new_post(c, &stored, &hashtags, &ids)?;
            crate::service::conversations::record(c, &stored)?;
            told = Some(known);
        } else {
            db::tags::set_for_post(c, &stored.id, &hashtags)?;
            db::tags::set_mentions(c, &stored.id, &ids)?;
        }
        if first_seen || db::media::of_post(c, &stored.id)?.is_empty() {
            for m in remote_media(&note_for_media, &stored.id) {
                db::media::insert(c, &m)?;
            }
        }
        if let Some(p) = remote_poll(&note_for_media, &stored.id) {
            db::polls::upsert(c, &p)?;
        }
    }
    if let Some(t) = terms.filter(|_| stored.group_id.is_some()) {
        crate::service::proposals::federated::record_in(c, &stored, t)?;
    }
    Ok((stored, told))
}
