//! `DbPost`: a stored post as a federated object.
//!
//! The `Object` conversions are here; finding the group of a remote post is `group.rs`, its poll
//! and attachments `remote.rs`.

mod group;
mod remote;
pub mod store;

pub use group::find_group;
pub use remote::{remote_media, remote_poll};

use crate::{
    db::{self, posts::PostRow},
    error::AppError,
    federation::{
        protocol::note::{ApubNote, POST_KINDS},
        urls::Urls,
    },
    state::{AppState, Ctx},
};
use activitypub_federation::{protocol::verification::verify_domains_match, traits::Object};
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
        crate::service::editing::forget(data.app_data(), &self.row.id).await
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
        let author = crate::federation::objects::actor::cached(data, &author_url).await?;
        let group = find_group(&json, data).await?;
        let prepared = store::prepare(json, &author.row, group.as_ref().map(|g| &g.row))?;
        let stored = crate::service::outbound::commit(data.app_data(), move |c, out| {
            store::store_in(c, out, prepared)
        })
        .await?;
        DbPost::new(stored)
    }
}
