//! `Flag`: reports between nodes. A report made here goes from the node's own (Organization)
//! actor — never the reporter, as Mastodon sends it from its instance actor to keep the
//! reporter unknown — to the reported account's node when the member forwarded it, and to the
//! nodes of the remote groups its statuses were posted in. Each node gets a `Flag` of its own
//! naming the account and only the statuses the audience rule lets that node see; a node that
//! may see none of the statuses named gets nothing (the comment is about them), and a blocked
//! peer never gets one. A peer's `Flag` about an account or group of this node becomes a report
//! here (`service::reports::receive_flag`).

use super::{actor_of, malformed};
use crate::{
    config::Config,
    db::{self, actors::ActorRow, audit::AuditRow, posts::PostRow, DbConnection},
    domain::{audience::PeerLevel, ids::new_id, names::authority_of, time},
    error::{AppError, AppResult},
    federation::{
        outbound::{
            self,
            deliver::{self, Gate},
        },
        protocol::{activities::RawActivity, id_of},
    },
    service::{
        reports,
        visibility::{peer_level, Sight, Viewer},
    },
    state::Ctx,
    urls::Urls,
};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use url::Url;

/// A peer's report of an account (and statuses) of this node.
pub async fn receive(activity: RawActivity, ctx: &Ctx) -> AppResult<()> {
    let objects: Vec<String> = match activity.object() {
        Value::Array(items) => items.iter().filter_map(id_of).map(String::from).collect(),
        one => id_of(one).map(String::from).into_iter().collect(),
    };
    if objects.is_empty() {
        return Err(malformed("Flag without object"));
    }
    let comment = activity
        .rest
        .get("content")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let peer = authority_of(&activity.actor).ok_or_else(|| malformed("Flag actor has no host"))?;
    let reporter = actor_of(&activity, ctx).await?;
    reports::receive_flag(
        ctx.app_data(),
        &reporter.row,
        &peer,
        activity.id.as_str(),
        objects,
        &comment,
    )
    .await
}

/// The peer (host and port) whose inbox `actor` has.
fn peer_of(actor: &ActorRow) -> Option<String> {
    let inbox = actor.shared_inbox.as_deref().unwrap_or(&actor.inbox);
    Url::parse(inbox).ok().as_ref().and_then(authority_of)
}

/// Queues the report `report_id` (made here) as one `Flag` per receiving node.
pub fn send(conn: &mut DbConnection, config: &Config, report_id: &str) -> AppResult<()> {
    let report = db::reports::by_id(conn, report_id)?
        .ok_or_else(|| AppError::internal(format!("no report {report_id}")))?;
    let target = outbound::actor(conn, &report.target_id)?;
    let named = db::reports::statuses_of(conn, std::slice::from_ref(&report.id))?;
    let ids: Vec<String> = named.into_iter().map(|(_, p)| p).collect();
    let statuses = db::posts::by_ids(conn, &ids)?;
    // The receiving actor of each node: the reported account's, else a group's.
    let mut receivers: BTreeMap<String, ActorRow> = BTreeMap::new();
    if report.forwarded && !target.local {
        receivers.extend(peer_of(&target).map(|p| (p, target.clone())));
    }
    for g in statuses.iter().filter_map(|p| p.group_id.as_deref()) {
        let group = outbound::actor(conn, g)?;
        if !group.local {
            if let Some(p) = peer_of(&group) {
                receivers.entry(p).or_insert(group);
            }
        }
    }
    if receivers.is_empty() {
        return Ok(());
    }
    let me = crate::service::proposals::governance::node_actor(conn)?;
    let urls = Urls::new(config);
    for (peer, receiver) in receivers {
        let Some(seen) = seen_by(conn, config, &peer, &statuses)? else {
            refused(conn, &peer, &report.id)?;
            continue;
        };
        let mut object = vec![json!(target.ap_id)];
        object.extend(seen.iter().map(|p| json!(p.ap_id)));
        let mut extra = Map::new();
        extra.insert("content".into(), json!(report.comment));
        let activity = deliver::build(
            &urls,
            None,
            "Flag",
            &me,
            Value::Array(object),
            vec![receiver.ap_id.clone()],
            vec![],
            extra,
        );
        deliver::publish(
            conn,
            config,
            &me,
            &activity,
            &[receiver],
            Gate::Public,
            false,
        )?;
    }
    Ok(())
}

/// The statuses of `statuses` the node `peer` may see; `None` when it may receive no `Flag` of
/// them: a blocked peer, or statuses named of which it may see none.
fn seen_by(
    conn: &mut DbConnection,
    config: &Config,
    peer: &str,
    statuses: &[PostRow],
) -> AppResult<Option<Vec<PostRow>>> {
    let level = peer_level(conn, config, peer)?;
    if level == PeerLevel::Blocked {
        return Ok(None);
    }
    let mut sight = Sight::new(Viewer::Peer {
        domain: peer.to_string(),
        level,
    });
    let mut seen = Vec::new();
    for p in statuses {
        if sight.may_see_content(conn, p)? {
            seen.push(p.clone());
        }
    }
    Ok((statuses.is_empty() || !seen.is_empty()).then_some(seen))
}

/// Writes to the audit log that `peer` was not sent the report.
fn refused(conn: &mut DbConnection, peer: &str, report_id: &str) -> AppResult<()> {
    db::audit::insert(
        conn,
        &AuditRow {
            id: new_id(),
            peer: peer.to_string(),
            action: "refuse-deliver".into(),
            object: format!("report {report_id}"),
            detail: "the peer may see none of the reported statuses, or is blocked".into(),
            created_at: time::now_ms(),
        },
    )?;
    Ok(())
}
