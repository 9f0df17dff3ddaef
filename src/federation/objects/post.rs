//! `DbPost`: a stored post as a federated object.

use crate::{
    db::{self, posts::PostRow},
    domain::{ids::new_id, time},
    error::AppError,
    federation::{
        objects::actor::DbActor,
        protocol::{
            note::{ApubNote, POST_KINDS},
            TextOrMap,
        },
        sanitize,
        urls::Urls,
    },
    state::{AppState, Ctx},
};
use activitypub_federation::{
    fetch::object_id::ObjectId, protocol::verification::verify_domains_match, traits::Object,
};
use async_trait::async_trait;
use url::Url;

pub use super::note::{attachment_json, note_json, PollState};

/// A stored post with its parsed id.
#[derive(Debug, Clone)]
pub struct DbPost {
    pub row: PostRow,
    pub ap_id: Url,
}

impl DbPost {
    /// Wraps a row.
    pub fn new(row: PostRow) -> Result<DbPost, AppError> {
        let ap_id = Url::parse(&row.ap_id).map_err(AppError::internal)?;
        Ok(DbPost { row, ap_id })
    }
}

#[async_trait]
impl Object for DbPost {
    type DataType = AppState;
    type Kind = ApubNote;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.ap_id
    }

    fn is_deleted(&self) -> bool {
        self.row.deleted_at.is_some()
    }

    async fn read_from_id(object_id: Url, data: &Ctx) -> Result<Option<Self>, AppError> {
        let id = object_id.to_string();
        let row = data.db.run(move |c| db::posts::by_ap_id(c, &id)).await?;
        row.map(DbPost::new).transpose()
    }

    async fn delete(&self, data: &Ctx) -> Result<(), AppError> {
        let id = self.row.id.clone();
        data.db
            .run(move |c| db::posts::mark_deleted(c, &id, time::now_ms()))
            .await?;
        Ok(())
    }

    async fn into_json(self, data: &Ctx) -> Result<ApubNote, AppError> {
        let urls = Urls::new(&data.config);
        data.db
            .run(move |c| Ok(super::note::document(c, &urls, &self.row)))
            .await?
    }

    async fn verify(json: &ApubNote, expected_domain: &Url, _data: &Ctx) -> Result<(), AppError> {
        verify_domains_match(&json.id, expected_domain)?;
        if !POST_KINDS.contains(&json.kind.as_str()) {
            return Err(AppError::Unprocessable(format!(
                "{} is not a post type",
                json.kind
            )));
        }
        let author = json
            .attributed_to
            .first()
            .ok_or_else(|| AppError::Unprocessable("post without attributedTo".into()))?;
        // FEP-fe34: a post is owned by its author's origin.
        verify_domains_match(author, &json.id)?;
        Ok(())
    }

    async fn from_json(json: ApubNote, data: &Ctx) -> Result<Self, AppError> {
        let author_url = json
            .attributed_to
            .first()
            .cloned()
            .ok_or_else(|| AppError::Unprocessable("post without attributedTo".into()))?;
        let author = ObjectId::<DbActor>::from(author_url)
            .dereference(data)
            .await?;
        let group = find_group(&json, data).await?;
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
            author_id: author.row.id.clone(),
            group_id: group.as_ref().map(|g| g.row.id.clone()),
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
            visibility: super::note::visibility_of(
                &json,
                &author.row,
                group.as_ref().map(|g| &g.row),
            ),
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
        let note_for_media = json.clone();
        let hashtags = json.hashtags();
        let mentioned: Vec<String> = json.mentions().iter().map(Url::to_string).collect();
        let stored = data
            .db
            .tx(move |c| {
                let mut first_seen = false;
                if let Some(existing) = db::posts::by_ap_id(c, &row.ap_id)? {
                    if existing.deleted_at.is_none() {
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
                        crate::service::notifications::for_new_post(c, &stored)?;
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
                Ok::<_, db::DbError>(stored)
            })
            .await?;
        DbPost::new(stored)
    }
}

/// The group a post belongs to: its `audience`, a group among its addressees or mentions, or the
/// group of the post it replies to.
pub async fn find_group(json: &ApubNote, data: &Ctx) -> Result<Option<DbActor>, AppError> {
    let mut candidates: Vec<String> = json.addressees().map(Url::to_string).collect();
    candidates.extend(json.mentions().iter().map(Url::to_string));
    let reply_to = json.in_reply_to.as_ref().map(Url::to_string);
    let known = data
        .db
        .run(move |c| {
            for id in &candidates {
                if let Some(a) = db::actors::by_ap_id(c, id)? {
                    if a.kind == "Group" {
                        return Ok(Some(a));
                    }
                }
            }
            if let Some(parent) = reply_to {
                if let Some(p) = db::posts::by_ap_id(c, &parent)? {
                    if let Some(g) = p.group_id {
                        return db::actors::by_id(c, &g);
                    }
                }
            }
            Ok(None)
        })
        .await?;
    if let Some(row) = known {
        return DbActor::new(row).map(Some);
    }
    if let Some(audience) = &json.audience {
        if let Ok(actor) = ObjectId::<DbActor>::from(audience.clone())
            .dereference(data)
            .await
        {
            if actor.is_group() {
                return Ok(Some(actor));
            }
        }
    }
    Ok(None)
}

/// The poll a remote `Question` carries: titles and the counts its origin reports.
pub fn remote_poll(note: &ApubNote, post_id: &str) -> Option<db::polls::PollRow> {
    let (options, multiple) = if !note.any_of.is_empty() {
        (&note.any_of, true)
    } else {
        (&note.one_of, false)
    };
    if options.is_empty() {
        return None;
    }
    let titles: Vec<String> = options
        .iter()
        .filter_map(|o| o.get("name").and_then(|n| n.as_str()).map(sanitize::plain))
        .take(20)
        .collect();
    let counts: Vec<i64> = options
        .iter()
        .map(|o| {
            o.pointer("/replies/totalItems")
                .and_then(|n| n.as_i64())
                .unwrap_or(0)
        })
        .take(20)
        .collect();
    Some(db::polls::PollRow {
        post_id: post_id.to_string(),
        multiple,
        options: serde_json::to_string(&titles).ok()?,
        remote_counts: serde_json::to_string(&counts).ok(),
        expires_at: note.end_time.as_deref().and_then(time::from_rfc3339),
        created_at: time::now_ms(),
        remote_voters: note.voters_count,
    })
}

/// Media rows for the attachments of a remote post (at most four; unusable entries skipped).
pub fn remote_media(note: &ApubNote, post_id: &str) -> Vec<crate::db::media::MediaRow> {
    note.attachment
        .iter()
        .filter_map(|a| {
            let url = match a.get("url") {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(other) => other.get("href").and_then(|h| h.as_str())?.to_string(),
                None => return None,
            };
            let parsed = Url::parse(&url).ok()?;
            if !matches!(parsed.scheme(), "https" | "http") {
                return None;
            }
            let mime = a
                .get("mediaType")
                .and_then(|m| m.as_str())
                .unwrap_or("application/octet-stream");
            let kind = mime
                .split('/')
                .next()
                .filter(|k| matches!(*k, "image" | "video" | "audio"))
                .unwrap_or("unknown");
            Some(crate::db::media::MediaRow {
                id: new_id(),
                owner_id: None,
                post_id: Some(post_id.to_string()),
                kind: kind.into(),
                mime: sanitize::plain(mime),
                file_name: None,
                remote_url: Some(parsed.to_string()),
                size: 0,
                width: a.get("width").and_then(|w| w.as_i64()).map(|w| w as i32),
                height: a.get("height").and_then(|h| h.as_i64()).map(|h| h as i32),
                description: a
                    .get("name")
                    .and_then(|n| n.as_str())
                    .map(sanitize::plain_long),
                created_at: time::now_ms(),
                duration_ms: a
                    .get("duration")
                    .and_then(|d| d.as_str())
                    .and_then(time::parse_xsd_duration_ms),
            })
        })
        .take(4)
        .collect()
}
