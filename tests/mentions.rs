//! Mentions as Mastodon apps write them: `@name` alone names an account of this node (what app
//! autocompletion inserts for local accounts), `@name@host` any account; both on both backends.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{db, domain::policy::Visibility, service::groups};
use serde_json::json;
use support::{http::*, *};

async fn run(db_url: String, dir: tempfile::TempDir) {
    let n = node(db_url, &dir, &[], None).await;
    let pw = "a-long-password".to_string();
    for name in ["bob", "carol"] {
        cohort::service::users::create_user(&n.state, name, false, Some(pw.clone()))
            .await
            .unwrap();
    }
    let spec = groups::NewGroup {
        name: "lab".into(),
        display_name: None,
        summary: None,
        approval_required: false,
        visibility: Visibility::Public,
        moderator: Some("carol".into()),
    };
    groups::create_group(&n.state, spec).await.unwrap();
    let base = serve(&n).await;
    let (bob, carol) = (
        Client::login(&base, "bob", &pw).await,
        Client::login(&base, "carol", &pw).await,
    );

    // `@carol` alone: carol is mentioned and notified.
    let s = bob
        .post(
            "/api/v1/statuses",
            json!({"status": "hello @carol, and @nobody."}),
        )
        .await;
    let mentioned: Vec<&str> = s["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["acct"].as_str().unwrap())
        .collect();
    assert_eq!(mentioned, vec!["carol"], "{s}");
    // Linked as Mastodon links a mention; `@nobody` stays text.
    let carol_url = s["mentions"][0]["url"].as_str().unwrap().to_string();
    let content = s["content"].as_str().unwrap();
    assert!(
        content.contains(&format!(
            "<a href=\"{carol_url}\" class=\"u-url mention\">@<span>carol</span></a>"
        )),
        "{content}"
    );
    assert!(content.contains("and @nobody."), "{content}");
    let notes = carol.get("/api/v1/notifications?types[]=mention").await;
    assert_eq!(notes[0]["status"]["id"], s["id"], "{notes}");

    // `@lab` alone posts into the local group, as `@lab@host` does.
    let lab = bob.get("/api/v1/accounts/lookup?acct=lab").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    bob.post(&format!("/api/v1/accounts/{lab}/follow"), json!({}))
        .await;
    let s = bob
        .post(
            "/api/v1/statuses",
            json!({"status": "@lab a note for the group"}),
        )
        .await;
    let id = s["id"].as_str().unwrap().to_string();
    let post = n
        .state
        .db
        .run(move |c| db::posts::by_id(c, &id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        post.group_id.as_deref(),
        Some(lab.as_str()),
        "posted into the group"
    );

    // An e-mail address or a lone `@` mentions nobody.
    let s = bob
        .post(
            "/api/v1/statuses",
            json!({"status": "write to carol@elsewhere or @ me"}),
        )
        .await;
    assert_eq!(s["mentions"], json!([]), "{s}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bare_mentions_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
    run(url, dir).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bare_mentions_on_postgres() {
    let Some(url) = db::test_postgres_database("mentions") else {
        return;
    };
    run(url, tempfile::tempdir().unwrap()).await;
}
