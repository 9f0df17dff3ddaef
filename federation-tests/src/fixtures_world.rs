//! The node the fixtures arrive at, and what it must hold first: remote actors (from the fixture
//! set's actor documents, stored by the same `DbActor::verify`/`from_json` a fetch runs, else
//! synthesized with a generated RSA key), groups, posts, follows and moderators.

use crate::fixtures::{activity_of, actors_named, Local, Prep, ACTOR_KINDS};
use activitypub_federation::traits::Object;
use cohort::{
    db::{self, actors::ActorRow, posts::PostRow},
    domain::{ids::new_id, policy::PeerLevel, time::now_ms},
    federation::{objects::actor::DbActor, protocol::actor::ApubActor},
};
use serde_json::Value;
use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

/// The result of dispatching one activity.
#[derive(Debug, Clone)]
pub enum Outcome {
    Ok,
    Err(u16, String),
    Panic(String),
    Unparsable(String),
    Timeout,
}

/// One node, the local member `alice` and local group `wg`, and the fixture set's actors.
pub struct World {
    pub node: crate::TestNode,
    pub dir: PathBuf,
    pub alice: ActorRow,
    pub group: ActorRow,
    actor_docs: BTreeMap<String, Value>,
    public_key_pem: String,
}

fn every_authority(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => {
            if let Ok(u) = url::Url::parse(s) {
                if matches!(u.scheme(), "http" | "https") {
                    out.extend(cohort::domain::names::authority_of(&u));
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| every_authority(x, out)),
        Value::Object(o) => o.values().for_each(|x| every_authority(x, out)),
        _ => {}
    }
}

impl World {
    /// Starts the node with every host named in the fixtures as a full peer.
    pub async fn start(dir: &Path, files: &[String]) -> World {
        let (mut hosts, mut actor_docs) = (BTreeSet::new(), BTreeMap::new());
        for f in files {
            let doc = read(dir, f);
            every_authority(&doc, &mut hosts);
            let kind = cohort::federation::protocol::type_of(&doc).unwrap_or("");
            if ACTOR_KINDS.contains(&kind) {
                if let Some(id) = doc.get("id").and_then(Value::as_str) {
                    actor_docs.insert(id.to_string(), doc.clone());
                }
            }
        }
        let peers = hosts.into_iter().map(|h| (h, PeerLevel::Full)).collect();
        let node = crate::sqlite_node("fixtures", crate::free_port().await, peers).await;
        let (alice, _) =
            cohort::service::users::create_user(&node.node_state, "alice", false, None)
                .await
                .expect("alice");
        let group = crate::group(&node, "wg", Default::default(), false, Some("alice")).await;
        let keys = tokio::task::spawn_blocking(cohort::domain::keys::generate)
            .await
            .expect("join")
            .expect("keys");
        World {
            node,
            dir: dir.to_path_buf(),
            alice,
            group,
            actor_docs,
            public_key_pem: keys.rsa_public_pem,
        }
    }

    /// The fixture `path` as the activity it arrives as, with the entry's rewrites applied, and
    /// the rewrites (fixture URL → local id) for reading its checks.
    pub fn activity(&self, path: &str, prep: &[Prep]) -> Option<(Value, BTreeMap<String, String>)> {
        let rewrites = self.rewrites(prep);
        let mut text = serde_json::to_string(&activity_of(&read(&self.dir, path))?).ok()?;
        for (from, to) in &rewrites {
            text = text.replace(from.as_str(), to);
        }
        Some((serde_json::from_str(&text).ok()?, rewrites))
    }

    fn rewrites(&self, prep: &[Prep]) -> BTreeMap<String, String> {
        prep.iter()
            .filter_map(|p| match p {
                Prep::Rewrite(url, Local::Group) => {
                    Some((url.to_string(), self.group.ap_id.clone()))
                }
                Prep::Rewrite(url, Local::Member) => {
                    Some((url.to_string(), self.alice.ap_id.clone()))
                }
                _ => None,
            })
            .collect()
    }

    /// Stores the remote actors the activity names (not an actor updating itself: that `Update`
    /// is what stores it).
    pub async fn store_named_actors(&self, activity: &Value) -> Result<(), String> {
        let self_update = activity.get("type").and_then(Value::as_str) == Some("Update")
            && activity.pointer("/object/id") == activity.get("actor");
        for url in actors_named(activity) {
            if self_update && activity.get("actor").and_then(Value::as_str) == Some(&url) {
                continue;
            }
            self.actor(&url, "Person").await?;
        }
        Ok(())
    }

    /// The stored actor `url`, storing it first when unknown.
    pub async fn actor(&self, url: &str, kind: &str) -> Result<ActorRow, String> {
        if let Some(a) = self.by_ap_id(url).await {
            return Ok(a);
        }
        if let Some(doc) = self.actor_docs.get(url) {
            let parsed: Result<ApubActor, _> = serde_json::from_value(doc.clone());
            if let Ok(json) = parsed {
                let id = json.id.clone();
                let ctx = &self.node.ctx;
                match DbActor::verify(&json, &id, ctx).await {
                    Ok(()) => {
                        let stored = DbActor::from_json(json, ctx).await;
                        return stored
                            .map(|a| a.row)
                            .map_err(|e| format!("store {url}: {e}"));
                    }
                    Err(e) => eprintln!("note: actor document {url} refused ({e}); synthesized"),
                }
            }
        }
        let row = self.synthesized(url, kind)?;
        self.node
            .node_state
            .db
            .run(move |c| db::actors::upsert_remote(c, &row))
            .await
            .map_err(|e| format!("store {url}: {e}"))
    }

    fn synthesized(&self, url: &str, kind: &str) -> Result<ActorRow, String> {
        let u = url::Url::parse(url).map_err(|e| format!("{url}: {e}"))?;
        let name = u
            .path_segments()
            .and_then(|mut s| s.next_back())
            .unwrap_or("actor");
        let now = now_ms();
        Ok(ActorRow {
            id: new_id(),
            ap_id: url.into(),
            kind: cohort::domain::actor::ActorKind::try_from(kind.to_string())?,
            username: if name.is_empty() {
                "actor".into()
            } else {
                name.into()
            },
            domain: cohort::domain::names::authority_of(&u).unwrap_or_default(),
            local: false,
            display_name: String::new(),
            summary: String::new(),
            inbox: format!("{url}/inbox"),
            shared_inbox: None,
            outbox: None,
            followers_url: Some(format!("{url}/followers")),
            public_key_pem: self.public_key_pem.clone(),
            private_key_pem: None,
            ed25519_public: None,
            ed25519_private: None,
            manually_approves: false,
            visibility: "public".into(),
            speaks_cohort: false,
            created_at: now,
            updated_at: now,
            last_refreshed_at: now,
            avatar_url: None,
            header_url: None,
            speaks_lemmy: false,
            discoverable: false,
        })
    }

    /// An actor (local or remote) by ActivityPub id.
    pub async fn by_ap_id(&self, url: &str) -> Option<ActorRow> {
        let u = url.to_string();
        let db = &self.node.node_state.db;
        db.run(move |c| db::actors::by_ap_id(c, &u))
            .await
            .ok()
            .flatten()
    }

    /// A post by ActivityPub id.
    pub async fn post(&self, url: &str) -> Option<PostRow> {
        let u = url.to_string();
        let db = &self.node.node_state.db;
        db.run(move |c| db::posts::by_ap_id(c, &u))
            .await
            .ok()
            .flatten()
    }

    /// Dispatches an activity as the inbox does after verifying it (no signature here).
    pub async fn dispatch(&self, activity: Value) -> Outcome {
        let raw = match serde_json::from_value(activity) {
            Ok(r) => r,
            Err(e) => return Outcome::Unparsable(e.to_string()),
        };
        let ctx = self.node.ctx.reset_request_count();
        let task = tokio::spawn(async move {
            cohort::federation::activities::dispatch(raw, &ctx)
                .await
                .map_err(|e| (e.status().as_u16(), e.to_string()))
        });
        match tokio::time::timeout(std::time::Duration::from_secs(20), task).await {
            Err(_) => Outcome::Timeout,
            Ok(Err(join)) => Outcome::Panic(join.to_string()),
            Ok(Ok(Err((status, msg)))) => Outcome::Err(status, msg),
            Ok(Ok(Ok(()))) => Outcome::Ok,
        }
    }
}

/// A fixture file as JSON.
pub fn read(dir: &Path, path: &str) -> Value {
    let text = std::fs::read_to_string(dir.join(path)).expect("read fixture");
    serde_json::from_str(&text).expect("fixtures are JSON")
}
