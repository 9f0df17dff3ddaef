//! `DbPost`: a stored post as a federated object.
//!
//! The `Object` conversions are here; finding the group of a remote post is `group.rs`, its poll
//! and attachments `remote.rs`.

mod group;
mod remote;

pub use group::find_group;
pub use remote::{remote_media, remote_poll};

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
        let terms = match json.proposal.is_proposal() {
            true => Some(crate::federation::activities::proposal::terms(&json)?),
            false => None,
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
                if let Some(t) = terms.filter(|_| stored.group_id.is_some()) {
                    crate::service::proposals::federated::record_in(c, &stored, t)?;
                }
                Ok::<_, AppError>(stored)
            })
            .await?;
        DbPost::new(stored)
    }
}
