//! Outbound: builds activities for local actors, records them, and queues one delivery per
//! (shared) inbox after the policy chokepoint agreed. Nothing here sends HTTP; the queue worker does.

use crate::{
    db::{self, activities::ActivityRow, actors::ActorRow, deliveries::DeliveryRow},
    domain::{ids::new_id, names::authority_of, time::now_ms},
    error::AppResult,
    federation::{
        jsonld::{self, PUBLIC},
        policy::{self, Audience},
        urls::{self, Urls},
    },
    state::AppState,
};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use url::Url;

/// A new activity by a local actor: its local id and its JSON (with `@context`, `id`, `actor`).
pub struct NewActivity {
    pub local_id: String,
    pub ap_id: String,
    pub json: Value,
}

/// Builds `{type, actor, object, to, cc}` with a fresh id under this node.
pub fn build(
    urls: &Urls,
    kind: &str,
    actor: &ActorRow,
    object: Value,
    to: Vec<String>,
    cc: Vec<String>,
    extra: Map<String, Value>,
) -> NewActivity {
    let local_id = new_id();
    let ap_id = urls.activity(&local_id);
    let mut map = Map::new();
    map.insert("@context".into(), jsonld::context(&urls.context()));
    map.insert("id".into(), json!(ap_id));
    map.insert("type".into(), json!(kind));
    map.insert("actor".into(), json!(actor.ap_id));
    map.insert("object".into(), object);
    map.insert("to".into(), json!(to));
    map.insert("cc".into(), json!(cc));
    map.insert(
        "published".into(),
        json!(crate::domain::time::to_rfc3339(now_ms())),
    );
    map.extend(extra);
    NewActivity {
        local_id,
        ap_id,
        json: Value::Object(map),
    }
}

/// The public collection plus a group, the addressing of group posts.
pub fn public_and(group_ap_id: &str) -> Vec<String> {
    vec![PUBLIC.to_string(), group_ap_id.to_string()]
}

/// The followers collection of a local actor.
pub fn followers_of(actor: &ActorRow) -> String {
    urls::sub(&actor.ap_id, "followers")
}

/// Records an activity authored here, so it can be served by id and listed in the outbox.
pub async fn record(
    state: &AppState,
    actor: &ActorRow,
    activity: &NewActivity,
    public: bool,
) -> AppResult<()> {
    // The post it carries: its object, or the object of the activity it wraps (a group's Announce).
    let object = activity.json.get("object").unwrap_or(&Value::Null);
    let carried: Vec<String> = [
        crate::federation::protocol::id_of(object),
        crate::federation::protocol::id_of(object.get("object").unwrap_or(&Value::Null)),
    ]
    .into_iter()
    .flatten()
    .map(|u| u.to_string())
    .collect();
    let post_id = state
        .db
        .run(move |c| {
            for ap in &carried {
                if let Some(p) = db::posts::by_ap_id(c, ap)? {
                    return Ok(Some(p.id));
                }
            }
            Ok(None)
        })
        .await?;
    let row = ActivityRow {
        id: activity.local_id.clone(),
        ap_id: activity.ap_id.clone(),
        actor_id: actor.id.clone(),
        kind: activity
            .json
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        object_ap_id: crate::federation::protocol::id_of(
            activity.json.get("object").unwrap_or(&Value::Null),
        )
        .map(|u| u.to_string()),
        payload: activity.json.to_string(),
        public,
        created_at: now_ms(),
        post_id,
    };
    state
        .db
        .run(move |c| db::activities::insert(c, &row))
        .await?;
    Ok(())
}

/// Queues `activity` (signed later as `signer`) for every remote recipient the policy allows:
/// one delivery per shared inbox. Returns the number of deliveries queued.
pub async fn deliver(
    state: &AppState,
    signer: &ActorRow,
    activity_ap_id: &str,
    activity: &Value,
    recipients: &[ActorRow],
    audience: &Audience,
) -> AppResult<usize> {
    let mut by_inbox: BTreeMap<String, String> = BTreeMap::new();
    for r in recipients.iter().filter(|r| !r.local) {
        let inbox = r.shared_inbox.clone().unwrap_or_else(|| r.inbox.clone());
        let Some(peer) = Url::parse(&inbox).ok().as_ref().and_then(authority_of) else {
            continue;
        };
        by_inbox.insert(inbox, peer);
    }
    let now = now_ms();
    let payload = activity.to_string();
    let mut rows = Vec::new();
    let mut decided: BTreeMap<String, bool> = BTreeMap::new();
    for (inbox, peer) in by_inbox {
        let allowed = match decided.get(&peer) {
            Some(a) => *a,
            None => {
                let a = policy::may_share_with(state, &peer, audience).await?;
                let (action, detail) = if a {
                    ("deliver", "queued")
                } else {
                    (
                        "refuse-deliver",
                        "policy does not allow this peer to receive it",
                    )
                };
                policy::audit(state, &peer, action, activity_ap_id, detail).await;
                decided.insert(peer.clone(), a);
                a
            }
        };
        if !allowed {
            continue;
        }
        rows.push(DeliveryRow {
            id: new_id(),
            peer,
            inbox,
            actor_ap_id: signer.ap_id.clone(),
            activity_ap_id: activity_ap_id.to_string(),
            payload: payload.clone(),
            status: db::deliveries::PENDING.into(),
            attempts: 0,
            next_attempt_at: now,
            locked_until: None,
            last_error: None,
            created_at: now,
            updated_at: now,
        });
    }
    if rows.is_empty() {
        return Ok(0);
    }
    let n = state
        .db
        .run(move |c| db::deliveries::enqueue(c, &rows))
        .await?;
    state.delivery_wake.notify_one();
    Ok(n)
}

/// Records and queues a new activity in one step.
pub async fn publish(
    state: &AppState,
    signer: &ActorRow,
    activity: &NewActivity,
    recipients: &[ActorRow],
    audience: &Audience,
) -> AppResult<usize> {
    let public = audience.visibility == crate::domain::policy::Visibility::Public;
    record(state, signer, activity, public).await?;
    deliver(
        state,
        signer,
        &activity.ap_id,
        &activity.json,
        recipients,
        audience,
    )
    .await
}
