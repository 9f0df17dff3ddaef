//! JSON-LD contexts: the standard ones every document uses, and Cohort's own extension terms.

use serde_json::{json, Value};

/// The public addressing collection.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// Whether an addressee names the public collection (in full, or compacted as some servers send
/// it).
pub fn is_public(addressee: &str) -> bool {
    matches!(addressee, PUBLIC | "as:Public" | "Public")
}

/// Path at which every node serves Cohort's context document.
pub const COHORT_CONTEXT_PATH: &str = "/ns/cohort";

/// The `@context` of documents this node emits.
pub fn context(cohort_context_url: &str) -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        "https://w3id.org/security/multikey/v1",
        cohort_context_url,
        {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "sensitive": "as:sensitive",
            "toot": "http://joinmastodon.org/ns#",
            "featured": {"@id": "toot:featured", "@type": "@id"},
            "discoverable": "toot:discoverable"
        }
    ])
}

/// Whether a document's `@context` names Cohort's context (the peer runs Cohort).
pub fn mentions_cohort_context(ctx: &Value) -> bool {
    match ctx {
        Value::String(s) => s.ends_with(COHORT_CONTEXT_PATH),
        Value::Array(items) => items.iter().any(mentions_cohort_context),
        _ => false,
    }
}

/// Lemmy's JSON-LD context, which every document of a Lemmy server names.
pub const LEMMY_CONTEXT: &str = "https://join-lemmy.org/context.json";

/// Whether a document's `@context` names Lemmy's context (the peer runs Lemmy).
pub fn mentions_lemmy_context(ctx: &Value) -> bool {
    match ctx {
        Value::String(s) => s == LEMMY_CONTEXT,
        Value::Array(items) => items.iter().any(mentions_lemmy_context),
        _ => false,
    }
}

/// Cohort's context document: the extension terms used by proposals, endorsements and groups.
pub fn cohort_context_document() -> Value {
    json!({
        "@context": {
            "cohort": "https://cohort.social/ns#",
            "proposalState": "cohort:proposalState",
            "decisionRule": "cohort:decisionRule",
            "quorum": "cohort:quorum",
            "decisionScope": "cohort:decisionScope",
            "outcome": "cohort:outcome",
            "rationale": "cohort:rationale",
            "proposalKind": "cohort:proposalKind",
            "proposalTemplate": "cohort:proposalTemplate",
            "membersAtOpen": "cohort:membersAtOpen",
            "discussionDays": "cohort:discussionDays",
            "votingDays": "cohort:votingDays",
            "voteReason": "cohort:voteReason",
            "requestedState": "cohort:requestedState",
            "proposalPayload": { "@id": "cohort:proposalPayload", "@type": "@json" },
            "tally": { "@id": "cohort:tally", "@type": "@json" },
            "Endorsement": "cohort:Endorsement",
            "contributionKind": "cohort:contributionKind",
            "endorsements": { "@id": "cohort:endorsements", "@type": "@id" },
            "moderators": { "@id": "cohort:moderators", "@type": "@id" },
            "decisions": { "@id": "cohort:decisions", "@type": "@id" },
            "governance": { "@id": "cohort:governance", "@type": "@id" },
            "visibility": "cohort:visibility"
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_cohort_context() {
        assert!(mentions_cohort_context(&context(
            "https://a.example/ns/cohort"
        )));
        assert!(!mentions_cohort_context(&json!(
            "https://www.w3.org/ns/activitystreams"
        )));
    }
}
