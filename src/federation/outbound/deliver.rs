//! The last step of every send: an activity is recorded (so it can be served by id and listed in
//! the outbox) and queued once per receiving inbox — only for the peers the audience rule lets
//! receive it. Each decision about a peer is written to the audit log. Synchronous, on the
//! caller's connection, so it commits with the use case that caused it.

use crate::{
    config::Config,
    db::{
        self, activities::ActivityRow, actors::ActorRow, audit::AuditRow, deliveries::DeliveryRow,
        posts::PostRow, DbConnection,
    },
    domain::{audience::PeerLevel, ids::new_id, names::authority_of, time},
    error::AppResult,
    federation::{jsonld, protocol},
    service::visibility::{Sight, Viewer},
    urls::Urls,
};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use url::Url;

/// A new activity by a local actor: its local id, its id and its JSON.
pub struct NewActivity {
    pub local_id: String,
    pub ap_id: String,
    pub json: Value,
}

/// Who may receive an activity: decided per peer by the audience rule.
pub enum Gate<'a> {
    /// Whoever may see this post (its tombstone, for a deletion).
    Post(&'a PostRow),
    /// Whoever may see this local group's profile (with `true`: its moderators, say) or its
    /// content (with `false`).
    Group(&'a ActorRow, bool),
    /// Any peer that is not blocked: follows and their answers, profiles.
    Public,
}

/// Builds `{type, actor, object, to, cc}`, with the id `local_id` under this node (a fresh one
/// when `None`).
#[allow(clippy::too_many_arguments)]
pub fn build(
    urls: &Urls,
    local_id: Option<String>,
    kind: &str,
    actor: &ActorRow,
    object: Value,
    to: Vec<String>,
    cc: Vec<String>,
    extra: Map<String, Value>,
) -> NewActivity {
    let local_id = local_id.unwrap_or_else(new_id);
    let ap_id = urls.activity(&local_id);
    let mut map = Map::new();
    map.insert("@context".into(), jsonld::context(&urls.context()));
    map.insert("id".into(), json!(ap_id));
    map.insert("type".into(), json!(kind));
    map.insert("actor".into(), json!(actor.ap_id));
    map.insert("object".into(), object);
    map.insert("to".into(), json!(to));
    map.insert("cc".into(), json!(cc));
    map.insert("published".into(), json!(time::to_rfc3339(time::now_ms())));
    map.extend(extra);
    NewActivity {
        local_id,
        ap_id,
        json: Value::Object(map),
    }
}

/// Records an activity authored here. It carries the post of its object (or of the activity it
/// wraps), whose audience then decides who may fetch it; `public` covers activities without one.
/// `known` is a post the caller holds already: when it is the one carried, it is not read again.
pub fn record(
    conn: &mut DbConnection,
    actor: &ActorRow,
    activity: &NewActivity,
    public: bool,
    known: Option<&PostRow>,
) -> AppResult<()> {
    let row = row_of(conn, actor, activity, public, known)?;
    db::activities::insert(conn, &row)?;
    Ok(())
}

/// The record `record` writes, for a caller that writes several together.
pub fn row_of(
    conn: &mut DbConnection,
    actor: &ActorRow,
    activity: &NewActivity,
    public: bool,
    known: Option<&PostRow>,
) -> AppResult<ActivityRow> {
    let object = activity.json.get("object").unwrap_or(&Value::Null);
    let carried = [
        protocol::id_of(object),
        protocol::id_of(object.get("object").unwrap_or(&Value::Null)),
    ];
    // The post the caller holds, when the activity carries it; otherwise looked up.
    let carried: Vec<Url> = carried.into_iter().flatten().collect();
    let mut post_id = known
        .filter(|p| carried.iter().any(|ap| p.ap_id == ap.as_str()))
        .map(|p| p.id.clone());
    if post_id.is_none() {
        for ap in &carried {
            if let Some(p) = db::posts::by_ap_id(conn, ap.as_str())? {
                post_id = Some(p.id);
                break;
            }
        }
    }
    let kind = activity.json.get("type").and_then(Value::as_str);
    let row = ActivityRow {
        id: activity.local_id.clone(),
        ap_id: activity.ap_id.clone(),
        actor_id: actor.id.clone(),
        kind: kind.unwrap_or("").to_string(),
        object_ap_id: protocol::id_of(object).map(|u| u.to_string()),
        payload: activity.json.to_string(),
        public,
        created_at: time::now_ms(),
        post_id,
    };
    Ok(row)
}

/// Decides, for each peer, whether the gate lets it receive: the audience rule, asked through
/// views that read what it needs for all the peers at once.
fn allowed(
    conn: &mut DbConnection,
    config: &Config,
    peers: &[String],
    gate: &Gate,
) -> AppResult<BTreeMap<String, bool>> {
    let (post, known): (Option<&PostRow>, Vec<&ActorRow>) = match gate {
        Gate::Post(p) => (Some(*p), vec![]),
        Gate::Group(g, _) => (None, vec![*g]),
        Gate::Public => (None, vec![]),
    };
    let sights = Sight::for_peers(conn, config, peers, post, &known)?;
    let mut out = BTreeMap::new();
    for (peer, mut sight) in peers.iter().zip(sights) {
        let blocked = matches!(
            sight.viewer(),
            Viewer::Peer {
                level: PeerLevel::Blocked,
                ..
            }
        );
        let ok = !blocked
            && match gate {
                Gate::Post(post) => sight.may_see_content(conn, post)?,
                Gate::Group(group, profile) => sight.may_see_group(conn, group, *profile)?,
                Gate::Public => true,
            };
        out.insert(peer.clone(), ok);
    }
    Ok(out)
}

/// Queues `activity` (signed as `signer`) for the remote `recipients` the gate lets receive it:
/// one delivery per (shared) inbox. Returns how many were queued. Recipients on Lemmy servers get
/// a poll as the post Lemmy can read (`objects::lemmy`), under the same id and the same gate.
pub fn queue(
    conn: &mut DbConnection,
    config: &Config,
    signer: &ActorRow,
    activity: &NewActivity,
    recipients: &[ActorRow],
    gate: Gate,
) -> AppResult<usize> {
    let Some(json) = crate::federation::objects::lemmy::for_lemmy(&activity.json) else {
        return queue_as_is(conn, config, signer, activity, recipients, gate);
    };
    let (lemmy, others): (Vec<ActorRow>, Vec<ActorRow>) =
        recipients.iter().cloned().partition(|r| r.speaks_lemmy);
    let variant = NewActivity {
        local_id: activity.local_id.clone(),
        ap_id: activity.ap_id.clone(),
        json,
    };
    let gate_again = match &gate {
        Gate::Post(p) => Gate::Post(p),
        Gate::Group(g, profile) => Gate::Group(g, *profile),
        Gate::Public => Gate::Public,
    };
    Ok(queue_as_is(conn, config, signer, activity, &others, gate)?
        + queue_as_is(conn, config, signer, &variant, &lemmy, gate_again)?)
}

fn queue_as_is(
    conn: &mut DbConnection,
    config: &Config,
    signer: &ActorRow,
    activity: &NewActivity,
    recipients: &[ActorRow],
    gate: Gate,
) -> AppResult<usize> {
    let mut by_inbox: BTreeMap<String, String> = BTreeMap::new();
    for r in recipients.iter().filter(|r| !r.local) {
        let inbox = r.shared_inbox.clone().unwrap_or_else(|| r.inbox.clone());
        if let Some(peer) = Url::parse(&inbox).ok().as_ref().and_then(authority_of) {
            by_inbox.insert(inbox, peer);
        }
    }
    let now = time::now_ms();
    let mut peers: Vec<String> = by_inbox.values().cloned().collect();
    peers.sort_unstable();
    peers.dedup();
    if peers.is_empty() {
        return Ok(0);
    }
    let decided = allowed(conn, config, &peers, &gate)?;
    let entries: Vec<AuditRow> = decided
        .iter()
        .map(|(peer, ok)| audit_row(peer, *ok, &activity.ap_id, now))
        .collect();
    db::audit::insert_many(conn, &entries)?;
    // Written out once the activity goes somewhere (a relay often has no recipient).
    let payload = activity.json.to_string();
    let mut rows = Vec::new();
    for (inbox, peer) in by_inbox {
        if decided.get(&peer).copied().unwrap_or(false) {
            rows.push(DeliveryRow {
                id: new_id(),
                peer,
                inbox,
                actor_ap_id: signer.ap_id.clone(),
                activity_ap_id: activity.ap_id.clone(),
                payload: payload.clone(),
                status: db::deliveries::PENDING.into(),
                attempts: 0,
                next_attempt_at: now,
                locked_until: None,
                last_error: None,
                last_status: None,
                created_at: now,
                updated_at: now,
            });
        }
    }
    if rows.is_empty() {
        return Ok(0);
    }
    let queued = db::deliveries::enqueue(conn, &rows)?;
    QUEUED.with(|n| n.set(n.get().wrapping_add(queued)));
    Ok(queued)
}

thread_local! {
    /// Deliveries queued on this thread so far. An intent is turned into deliveries on one thread
    /// (inside its transaction), so the difference across one intent is what it queued, however
    /// deep in its verb's file the queueing happened.
    static QUEUED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Deliveries queued on this thread so far (see `QUEUED`).
pub fn queued_on_this_thread() -> usize {
    QUEUED.with(std::cell::Cell::get)
}

/// What the audit log keeps of one decision.
fn audit_row(peer: &str, ok: bool, object: &str, now: i64) -> AuditRow {
    let (action, detail) = if ok {
        ("deliver", "queued")
    } else {
        (
            "refuse-deliver",
            "the audience of this content does not include this peer",
        )
    };
    AuditRow {
        id: new_id(),
        peer: peer.to_string(),
        action: action.into(),
        object: object.to_string(),
        detail: detail.into(),
        created_at: now,
    }
}

/// Records an activity and queues it in one step.
pub fn publish(
    conn: &mut DbConnection,
    config: &Config,
    signer: &ActorRow,
    activity: &NewActivity,
    recipients: &[ActorRow],
    gate: Gate,
    public: bool,
) -> AppResult<usize> {
    let known = match gate {
        Gate::Post(p) => Some(p),
        _ => None,
    };
    record(conn, signer, activity, public, known)?;
    queue(conn, config, signer, activity, recipients, gate)
}
