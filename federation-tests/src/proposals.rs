//! Helpers for the proposal tests: reading a node's copy of a proposal, and crafting signed votes
//! to hand to a node's inbound path as a peer would send them.

use crate::TestNode;
use cohort::{
    db::{self, actors::ActorRow, proposals::ProposalRow},
    federation::{activities::dispatch, proofs, protocol::activities::RawActivity},
};
use serde_json::{json, Value};

/// A node's copy of the proposal with ActivityPub id `ap_id`.
pub async fn copy(n: &TestNode, ap_id: &str) -> Option<ProposalRow> {
    let ap = ap_id.to_string();
    n.node_state
        .db
        .run(move |c| db::proposals::by_ap_id(c, &ap))
        .await
        .expect("proposal")
}

/// The votes a node has counted on a proposal (by its local id there).
pub async fn votes(n: &TestNode, proposal_id: &str) -> Vec<db::proposals::votes::VoteRow> {
    let id = proposal_id.to_string();
    n.node_state
        .db
        .run(move |c| db::proposals::votes::of(c, &id))
        .await
        .expect("votes")
}

/// A local actor of `n` by name.
pub async fn local(n: &TestNode, name: &str) -> ActorRow {
    let name = name.to_string();
    n.node_state
        .db
        .run(move |c| db::actors::local_by_username(c, &name))
        .await
        .expect("actor")
        .expect("known")
}

/// A vote note by `voter` (a local actor of its node) on the post `post_ap_id`, signed with the
/// voter's key; `tamper` changes it after signing.
pub fn signed_vote(
    voter: &ActorRow,
    post_ap_id: &str,
    group_ap_id: &str,
    choice: &str,
    tamper: Option<&str>,
) -> Value {
    let note = json!({
        "id": format!("{}#votes/crafted-{}", voter.ap_id, cohort::domain::ids::new_id()),
        "type": "Note",
        "name": choice,
        "inReplyTo": post_ap_id,
        "attributedTo": voter.ap_id,
        "to": [group_ap_id],
    });
    let mut signed = proofs::sign_as(voter, &note).expect("sign");
    if let Some(other) = tamper {
        signed["name"] = json!(other);
    }
    signed
}

/// Hands `activity` (from `actor`) to `n`'s inbound path after the signature check, as the inbox
/// would: the result is what the peer would be answered.
pub async fn receive(
    n: &TestNode,
    actor: &ActorRow,
    kind: &str,
    object: Value,
) -> Result<(), String> {
    let raw: RawActivity = serde_json::from_value(json!({
        "id": format!("{}#activities/{}", actor.ap_id, cohort::domain::ids::new_id()),
        "type": kind,
        "actor": actor.ap_id,
        "object": object,
    }))
    .expect("activity");
    dispatch(raw, &n.ctx).await.map_err(|e| e.to_string())
}

/// Hands a whole activity document to `n`'s inbound path.
pub async fn receive_document(n: &TestNode, doc: Value) -> Result<(), String> {
    let raw: RawActivity = serde_json::from_value(doc).expect("activity");
    dispatch(raw, &n.ctx).await.map_err(|e| e.to_string())
}

/// What a node's queue and audit log say, for a failing wait's message.
pub async fn diagnose(n: &TestNode) -> String {
    n.node_state
        .db
        .run(|c| {
            use diesel::prelude::*;
            let rows: Vec<db::deliveries::DeliveryRow> = cohort::db::schema::deliveries::table
                .select(db::deliveries::DeliveryRow::as_select())
                .load(c)
                .map_err(db::DbError::Query)?;
            let mut out: Vec<String> = rows
                .iter()
                .filter(|r| r.payload.contains("Question") || r.payload.contains("requestedState"))
                .map(|r| {
                    let v: Value = serde_json::from_str(&r.payload).unwrap_or_default();
                    let o = &v["object"];
                    format!(
                        "{} {} {} {} obj={} state={} req={} attempts={} err={:?} at={}",
                        r.peer,
                        r.status,
                        v["type"],
                        r.activity_ap_id,
                        o["id"],
                        o["proposalState"],
                        o["requestedState"],
                        r.attempts,
                        r.last_error,
                        r.updated_at
                    )
                })
                .collect();
            for p in cohort::db::schema_governance::proposals::table
                .select(db::proposals::ProposalRow::as_select())
                .load(c)
                .map_err(db::DbError::Query)?
            {
                out.push(format!(
                    "proposal {} {:?} {} {}",
                    p.id, p.ap_id, p.state, p.updated_at
                ));
            }
            for a in db::audit::recent(c, None, 20)? {
                out.push(format!(
                    "audit {} {} {} {}",
                    a.peer, a.action, a.object, a.detail
                ));
            }
            Ok(out.join("\n"))
        })
        .await
        .expect("diagnose")
}
