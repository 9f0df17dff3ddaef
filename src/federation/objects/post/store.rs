//! Storing a peer's post: the row and what comes with it (tags, mentions, notifications, poll,
//! attachments, proposal terms), on a connection the caller holds, so a use case can store the
//! post and queue what it sends in one transaction.

use super::{remote_media, remote_poll};
use crate::{
    db::{self, actors::ActorRow, posts::PostRow, DbConnection},
    domain::{ids::new_id, time},
    error::AppError,
    federation::{
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
    Ok(Prepared {
        row,
        terms,
        hashtags: json.hashtags(),
        mentioned: json.mentions().iter().map(Url::to_string).collect(),
        note: json,
    })
}

/// Stores (or updates) the post, raising its live event; answers the stored row.
pub fn store_in(c: &mut DbConnection, out: &mut Intents, p: Prepared) -> Result<PostRow, AppError> {
    let Prepared {
        row,
        terms,
        note: note_for_media,
        hashtags,
        mentioned,
    } = p;
    let now = row.created_at;
    let mut first_seen = false;
    let mut edited = false;
    if let Some(existing) = db::posts::by_ap_id(c, &row.ap_id)? {
        if existing.deleted_at.is_none() {
            edited = true;
            db::posts::update_content(
                c,
                &existing,
                &row.content,
                row.name.as_deref(),
                row.summary.as_deref(),
                row.sensitive,
                row.updated.unwrap_or(now),
            )?;
        }
    } else if db::posts::insert_if_new(c, &row)? {
        first_seen = true;
    }
    let stored = db::posts::by_ap_id(c, &row.ap_id)?.ok_or(db::DbError::NotFound)?;
    let post_id = stored.id.clone();
    if first_seen {
        out.event(Event::Posted { post_id });
    } else if edited {
        out.event(Event::Edited { post_id });
    }
    if !stored.local {
        db::tags::set_for_post(c, &stored.id, &hashtags)?;
        let mut known = Vec::new();
        for href in &mentioned {
            if let Some(a) = db::actors::by_ap_id(c, href)? {
                if a.kind != "Group" {
                    known.push(a.id);
                }
            }
        }
        db::tags::set_mentions(c, &stored.id, &known)?;
        if first_seen {
            crate::service::notifications::for_new_post(c, out, &stored)?;
            crate::service::conversations::record(c, &stored)?;
        }
        if let Some(p) = remote_poll(&note_for_media, &stored.id) {
            db::polls::upsert(c, &p)?;
        }
        if db::media::of_post(c, &stored.id)?.is_empty() {
            for m in remote_media(&note_for_media, &stored.id) {
                db::media::insert(c, &m)?;
            }
        }
    }
    if let Some(t) = terms.filter(|_| stored.group_id.is_some()) {
        crate::service::proposals::federated::record_in(c, &stored, t)?;
    }
    Ok(stored)
}
