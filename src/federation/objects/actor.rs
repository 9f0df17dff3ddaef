//! `DbActor`: a stored actor as a federated object (fetch, verify, store, serialize).

use crate::{
    db::{self, actors::ActorRow},
    domain::{actor::ActorKind, ids::new_id, names::authority_of, time::now_ms},
    error::AppError,
    federation::{
        jsonld,
        protocol::actor::{ApubActor, Endpoints, Multikey, ACTOR_KINDS},
        urls::{self, Urls},
    },
    state::{AppState, Ctx},
};
use activitypub_federation::{
    protocol::{public_key::PublicKey, verification::verify_domains_match},
    traits::{Actor, Object},
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use url::Url;

/// A stored actor with its parsed id.
#[derive(Debug, Clone)]
pub struct DbActor {
    pub row: ActorRow,
    pub ap_id: Url,
}

impl DbActor {
    /// Wraps a row; fails only if the stored id is not a URL (a broken invariant).
    pub fn new(row: ActorRow) -> Result<DbActor, AppError> {
        let ap_id = Url::parse(&row.ap_id).map_err(AppError::internal)?;
        Ok(DbActor { row, ap_id })
    }

    /// Whether this is a group.
    pub fn is_group(&self) -> bool {
        self.row.kind == "Group"
    }

    /// The inbox deliveries to this actor should go to (shared when it has one).
    pub fn delivery_inbox(&self) -> String {
        self.row
            .shared_inbox
            .clone()
            .unwrap_or_else(|| self.row.inbox.clone())
    }

    /// `name@host` handle.
    pub fn handle(&self) -> String {
        format!("{}@{}", self.row.username, self.row.domain)
    }
}

#[async_trait]
impl Object for DbActor {
    type DataType = AppState;
    type Kind = ApubActor;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.ap_id
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_millis(self.row.last_refreshed_at)
    }

    async fn read_from_id(object_id: Url, data: &Ctx) -> Result<Option<Self>, AppError> {
        let id = object_id.to_string();
        let row = data.db.run(move |c| db::actors::by_ap_id(c, &id)).await?;
        row.map(DbActor::new).transpose()
    }

    async fn into_json(self, data: &Ctx) -> Result<ApubActor, AppError> {
        local_actor_json(&self.row, &Urls::new(&data.config))
    }

    async fn verify(json: &ApubActor, expected_domain: &Url, _data: &Ctx) -> Result<(), AppError> {
        verify_domains_match(&json.id, expected_domain)?;
        if !ACTOR_KINDS.contains(&json.kind.as_str()) {
            return Err(AppError::Unprocessable(format!(
                "{} is a {}, not an actor",
                json.id, json.kind
            )));
        }
        if json.public_key.owner != json.id {
            return Err(AppError::Unprocessable(format!(
                "public key of {} belongs to another actor",
                json.id
            )));
        }
        verify_domains_match(&json.inbox, &json.id)?;
        crate::federation::actor_origin::require_same_origin(json)?;
        Ok(())
    }

    async fn from_json(json: ApubActor, data: &Ctx) -> Result<Self, AppError> {
        let row = remote_row(&json)?;
        let stored = data
            .db
            .run(move |c| db::actors::upsert_remote(c, &row))
            .await?;
        // The stored copy (maybe with a rotated key) replaces any cached signing key.
        data.key_cache.forget(&stored.ap_id).await;
        DbActor::new(stored)
    }
}

impl Actor for DbActor {
    fn public_key_pem(&self) -> &str {
        &self.row.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        self.row.private_key_pem.clone()
    }

    fn inbox(&self) -> Url {
        Url::parse(&self.row.inbox).unwrap_or_else(|_| self.ap_id.clone())
    }

    fn shared_inbox(&self) -> Option<Url> {
        self.row
            .shared_inbox
            .as_deref()
            .and_then(|s| Url::parse(s).ok())
    }
}

/// A remote actor from the key cache when it holds a fresh copy, else the stored (or fetched) one.
pub async fn cached(ctx: &Ctx, id: &Url) -> Result<DbActor, AppError> {
    if let Some(hit) = ctx.key_cache.get(id.as_str()).await {
        if !needs_refetch(&hit.actor) {
            return Ok(hit.actor.clone());
        }
    }
    activitypub_federation::fetch::object_id::ObjectId::<DbActor>::from(id.clone())
        .dereference(ctx)
        .await
}

/// Whether the federation library would fetch this remote actor again before using it (its stored
/// copy is older than the library's refetch interval: 24 hours, 20 seconds in debug builds).
pub fn needs_refetch(actor: &DbActor) -> bool {
    let interval = if cfg!(debug_assertions) {
        20_000
    } else {
        24 * 3600 * 1000
    };
    !actor.row.local && actor.row.last_refreshed_at < now_ms() - interval
}

/// Converts a fetched actor document to a row (not yet stored).
fn remote_row(json: &ApubActor) -> Result<ActorRow, AppError> {
    let domain = authority_of(&json.id)
        .ok_or_else(|| AppError::Unprocessable("actor id has no host".into()))?;
    let username = json.preferred_username.clone().unwrap_or_else(|| {
        json.id
            .path_segments()
            .and_then(|mut s| s.next_back())
            .unwrap_or("")
            .to_string()
    });
    let ed25519 = json
        .assertion_method
        .iter()
        .find(|k| k.controller == json.id)
        .map(|k| k.public_key_multibase.clone());
    let now = now_ms();
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(crate::federation::sanitize::html)
            .unwrap_or_default()
    };
    Ok(ActorRow {
        id: new_id(),
        ap_id: json.id.to_string(),
        kind: ActorKind::try_from(json.kind.clone()).map_err(AppError::Unprocessable)?,
        username: crate::federation::sanitize::plain(&username),
        domain,
        local: false,
        display_name: crate::federation::sanitize::plain(json.name.as_deref().unwrap_or("")),
        summary: clean(&json.summary),
        inbox: json.inbox.to_string(),
        shared_inbox: json
            .endpoints
            .as_ref()
            .and_then(|e| e.shared_inbox.as_ref())
            .map(Url::to_string),
        outbox: json.outbox.as_ref().map(Url::to_string),
        followers_url: json.followers.as_ref().map(Url::to_string),
        public_key_pem: json.public_key.public_key_pem.clone(),
        private_key_pem: None,
        ed25519_public: ed25519,
        ed25519_private: None,
        manually_approves: json.manually_approves_followers.unwrap_or(false),
        visibility: json.visibility.clone().unwrap_or_else(|| "public".into()),
        speaks_cohort: json
            .context
            .as_ref()
            .is_some_and(jsonld::mentions_cohort_context),
        created_at: now,
        updated_at: now,
        last_refreshed_at: now,
        avatar_url: json
            .icon
            .as_ref()
            .and_then(crate::federation::protocol::actor::image_url)
            .map(String::from),
        header_url: json
            .image
            .as_ref()
            .and_then(crate::federation::protocol::actor::image_url)
            .map(String::from),
        speaks_lemmy: json
            .context
            .as_ref()
            .is_some_and(jsonld::mentions_lemmy_context),
        discoverable: json.discoverable.unwrap_or(false),
    })
}

/// The ActivityPub document of a local actor.
pub fn local_actor_json(row: &ActorRow, urls: &Urls) -> Result<ApubActor, AppError> {
    let id = Url::parse(&row.ap_id)?;
    let parse = |s: String| Url::parse(&s).ok();
    let is_group = row.kind == "Group";
    let moderators = is_group
        .then(|| parse(urls::sub(&row.ap_id, "moderators")))
        .flatten();
    Ok(ApubActor {
        context: Some(jsonld::context(&urls.context())),
        id: id.clone(),
        kind: row.kind.to_string(),
        preferred_username: Some(row.username.clone()),
        name: Some(if row.display_name.is_empty() {
            row.username.clone()
        } else {
            row.display_name.clone()
        }),
        summary: Some(row.summary.clone()),
        inbox: parse(row.inbox.clone()).unwrap_or_else(|| id.clone()),
        outbox: row.outbox.clone().and_then(parse),
        followers: row.followers_url.clone().and_then(parse),
        following: (row.kind != "Organization")
            .then(|| parse(urls::sub(&row.ap_id, "following")))
            .flatten(),
        endpoints: Some(Endpoints {
            shared_inbox: parse(urls.shared_inbox()),
        }),
        public_key: PublicKey {
            id: urls::main_key(&row.ap_id),
            owner: id.clone(),
            public_key_pem: row.public_key_pem.clone(),
        },
        assertion_method: row
            .ed25519_public
            .iter()
            .map(|k| Multikey {
                id: urls::ed25519_key(&row.ap_id),
                kind: "Multikey".into(),
                controller: id.clone(),
                public_key_multibase: k.clone(),
            })
            .collect(),
        manually_approves_followers: Some(row.manually_approves),
        // Whether the member (or group) is listed in directories and suggestions.
        discoverable: matches!(row.kind.as_str(), "Person" | "Group").then_some(row.discoverable),
        attributed_to: moderators.iter().cloned().collect(),
        moderators,
        decisions: is_group
            .then(|| parse(urls::sub(&row.ap_id, "decisions")))
            .flatten(),
        governance: is_group
            .then(|| parse(urls::sub(&row.ap_id, "governance")))
            .flatten(),
        featured: (row.kind == "Person")
            .then(|| {
                parse(urls::sub(
                    &row.ap_id,
                    crate::federation::activities::featured::FEATURED,
                ))
            })
            .flatten(),
        url: Some(serde_json::Value::String(row.ap_id.clone())),
        published: Some(crate::domain::time::to_rfc3339(row.created_at)),
        visibility: is_group.then(|| row.visibility.clone()),
        icon: row
            .avatar_url
            .as_deref()
            .map(crate::federation::protocol::actor::image_json),
        image: row
            .header_url
            .as_deref()
            .map(crate::federation::protocol::actor::image_json),
    })
}
