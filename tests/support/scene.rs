//! A small scene on one node for the query-cost and query-plan tests: a reader following two
//! groups and an author, sixty statuses with replies, hashtags, mentions, polls, favourites and
//! bookmarks, all written through the client API.

use super::{http::*, HERE};
use cohort::{domain::policy::Visibility, service::groups, Node};
use serde_json::json;

pub struct Scene {
    pub base: String,
    pub reader: Client,
    pub bob: Client,
    pub carol: Client,
    /// The sixty statuses, oldest first.
    pub ids: Vec<String>,
}

/// Builds the scene on `n` and serves it over HTTP.
pub async fn scene(n: &Node) -> Scene {
    let pw = "a-long-password".to_string();
    for name in ["reader", "bob", "carol"] {
        cohort::service::users::create_user(&n.state, name, false, Some(pw.clone()))
            .await
            .unwrap();
    }
    let spec = |name: &str| groups::NewGroup {
        name: name.into(),
        display_name: None,
        summary: None,
        approval_required: false,
        visibility: Visibility::Public,
        moderator: Some("carol".into()),
    };
    groups::create_group(&n.state, spec("lab")).await.unwrap();
    groups::create_group(&n.state, spec("ward")).await.unwrap();
    let base = serve(n).await;
    let (reader, bob, carol) = (
        Client::login(&base, "reader", &pw).await,
        Client::login(&base, "bob", &pw).await,
        Client::login(&base, "carol", &pw).await,
    );
    for (who, acct) in [(&reader, "lab"), (&reader, "ward"), (&reader, "bob")]
        .into_iter()
        .chain([(&bob, "lab"), (&carol, "ward")])
    {
        let found = who
            .get(&format!("/api/v1/accounts/lookup?acct={acct}"))
            .await;
        let id = found["id"].as_str().unwrap();
        who.post(&format!("/api/v1/accounts/{id}/follow"), json!({}))
            .await;
    }
    // Sixty statuses from two authors in two groups, with replies, hashtags, mentions, polls,
    // favourites and bookmarks, so that every part of a status entity has rows to read.
    let mut ids: Vec<String> = Vec::new();
    for i in 0..60 {
        let (author, group) = if i % 2 == 0 {
            (&bob, "lab")
        } else {
            (&carol, "ward")
        };
        let mut body =
            json!({"status": format!("@{group}@{HERE} note {i} #topic{} @reader@{HERE}", i % 5)});
        if i % 7 == 0 {
            body["poll"] = json!({"options": ["yes", "no"], "expires_in": 3600});
        }
        if i % 3 == 0 && ids.len() >= 2 {
            body["in_reply_to_id"] = json!(ids[ids.len() - 2]); // same group
        }
        let s = author.post("/api/v1/statuses", body).await;
        let id = s["id"].as_str().unwrap().to_string();
        if i % 4 == 0 {
            reader
                .post(&format!("/api/v1/statuses/{id}/favourite"), json!({}))
                .await;
            carol
                .post(&format!("/api/v1/statuses/{id}/favourite"), json!({}))
                .await;
        }
        if i % 5 == 0 {
            reader
                .post(&format!("/api/v1/statuses/{id}/bookmark"), json!({}))
                .await;
        }
        ids.push(id);
    }

    Scene {
        base,
        reader,
        bob,
        carol,
        ids,
    }
}
