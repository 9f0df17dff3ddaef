//! A hashtag's week of use (`GET /api/v1/tags/{name}` and hashtag search) on both backends: uses
//! and distinct authors per day of live public posts, kept through posting, editing, deleting and
//! non-public posts, and days other than today.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{
    db::{self, posts::PostRow},
    domain::{audience::PostVisibility, ids::new_id, time::now_ms},
    Node,
};
use serde_json::{json, Value};
use support::{http::*, *};

const DAY: i64 = 86_400_000;

/// `[(uses, accounts)]` of the tag's history, today first.
async fn week(c: &Client, tag: &str) -> Vec<(String, String)> {
    let t = c.get(&format!("/api/v1/tags/{tag}")).await;
    t["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["uses"].as_str().unwrap().to_string(),
                d["accounts"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn day(uses: u32, accounts: u32) -> (String, String) {
    (uses.to_string(), accounts.to_string())
}

async fn call(base: &str, c: &Client, method: reqwest::Method, path: &str, body: Value) {
    let r = reqwest::Client::new()
        .request(method.clone(), format!("{base}{path}"))
        .bearer_auth(&c.token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{method} {path}: {}", r.status());
}

/// A public post of `author` with `#tag`, published `days_ago` days before now, stored as a
/// peer's post would be (published earlier than it arrived).
async fn older_post(n: &Node, author: &str, tag: &str, days_ago: i64) {
    let (author, tag, base) = (
        author.to_string(),
        tag.to_string(),
        n.state.config.base_url(),
    );
    n.state
        .db
        .tx(move |c| -> Result<(), db::DbError> {
            let author = db::actors::local_by_username(c, &author)?.unwrap().id;
            let (id, now) = (new_id(), now_ms());
            let row = PostRow {
                id: id.clone(),
                ap_id: format!("{base}/posts/{id}"),
                kind: "Note".into(),
                author_id: author,
                group_id: None,
                in_reply_to: None,
                name: None,
                summary: None,
                content: format!("<p>#{tag}</p>"),
                sensitive: false,
                visibility: PostVisibility::Public,
                local: true,
                published: now - days_ago * DAY,
                updated: None,
                deleted_at: None,
                created_at: now,
                language: None,
            };
            db::posts::insert_if_new(c, &row)?;
            db::tags::set_for_post(c, &id, &[tag])
        })
        .await
        .unwrap();
}

async fn post(c: &Client, text: &str, visibility: &str) -> String {
    let body = json!({"status": text, "visibility": visibility});
    c.post("/api/v1/statuses", body).await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn run(db_url: String, dir: tempfile::TempDir) {
    let n = node(db_url, &dir, &[], None).await;
    let pw = "a-long-password".to_string();
    for name in ["bob", "carol"] {
        cohort::service::users::create_user(&n.state, name, false, Some(pw.clone()))
            .await
            .unwrap();
    }
    let base = serve(&n).await;
    let (bob, carol) = (
        Client::login(&base, "bob", &pw).await,
        Client::login(&base, "carol", &pw).await,
    );
    let empty = vec![day(0, 0); 7];
    assert_eq!(week(&bob, "alpha").await, empty, "an unused hashtag");

    let first = post(&bob, "one #alpha", "public").await;
    post(&bob, "two #Alpha #beta", "public").await;
    post(&bob, "unlisted #alpha", "unlisted").await;
    post(&bob, "private #alpha", "private").await;
    let carols = post(&carol, "three #alpha", "public").await;
    let mut expected = empty.clone();
    expected[0] = day(3, 2);
    assert_eq!(week(&bob, "alpha").await, expected, "public posts only");

    // An edit that drops the hashtag takes its use away; bob still used it today.
    let edit = json!({"status": "one, no tag"});
    call(
        &base,
        &bob,
        reqwest::Method::PUT,
        &format!("/api/v1/statuses/{first}"),
        edit,
    )
    .await;
    expected[0] = day(2, 2);
    assert_eq!(week(&bob, "alpha").await, expected, "after an edit");

    // Deleting carol's only use takes her away from the day's authors.
    let path = format!("/api/v1/statuses/{carols}");
    call(&base, &carol, reqwest::Method::DELETE, &path, json!({})).await;
    expected[0] = day(1, 1);
    assert_eq!(week(&bob, "alpha").await, expected, "after a delete");

    // Earlier days are counted on the day the post was published; a week ago is out of range.
    older_post(&n, "carol", "alpha", 2).await;
    older_post(&n, "carol", "alpha", 2).await;
    older_post(&n, "bob", "alpha", 6).await;
    older_post(&n, "bob", "alpha", 7).await;
    expected[2] = day(2, 1);
    expected[6] = day(1, 1);
    assert_eq!(week(&bob, "alpha").await, expected, "earlier days");

    // Search shows the same history.
    let found = bob.get("/api/v2/search?q=%23alph&type=hashtags").await;
    let tag = &found["hashtags"][0];
    assert_eq!(tag["name"], "alpha");
    assert_eq!(tag["history"][2]["uses"], "2");
    assert_eq!(tag["history"][0]["accounts"], "1");

    spread_over_slots(&n, &base, &pw).await;

    // A prefix is matched as written: `_` is part of a name, not a wildcard.
    post(&bob, "notes from #open_lab", "public").await;
    post(&bob, "and from #openxlab", "public").await;
    let found = bob.get("/api/v2/search?q=%23open_l&type=hashtags").await;
    let names: Vec<&str> = found["hashtags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["open_lab"], "a prefix with an underscore");
}

/// This week's local statuses (`/api/v1/instance/activity`).
async fn week_statuses(c: &Client) -> i64 {
    let weeks = c.get("/api/v1/instance/activity").await;
    weeks[0]["statuses"].as_str().unwrap().parse().unwrap()
}

/// The counters are kept in one row per slot of the author (`db::slots`) and read as sums: three
/// authors in three different slots post `#gamma`; the hashtag's day, its search entry and the
/// week's statuses add up across the rows.
async fn spread_over_slots(n: &Node, base: &str, pw: &str) {
    let bob = Client::login(base, "bob", pw).await;
    let before = week_statuses(&bob).await;
    let (mut authors, mut slots) = (vec![], std::collections::BTreeSet::new());
    for i in 0.. {
        let name = format!("slot{i}");
        let (actor, _) =
            cohort::service::users::create_user(&n.state, &name, false, Some(pw.to_string()))
                .await
                .unwrap();
        if slots.insert(db::slots::slot_of(&actor.id)) {
            authors.push(name);
        }
        if authors.len() == 3 {
            break;
        }
    }
    for name in &authors {
        let c = Client::login(base, name, pw).await;
        post(&c, &format!("{name} on #gamma"), "public").await;
    }
    let mut expected = vec![day(0, 0); 7];
    expected[0] = day(3, 3);
    assert_eq!(week(&bob, "gamma").await, expected, "three authors' slots");
    let found = bob.get("/api/v2/search?q=%23gamm&type=hashtags").await;
    assert_eq!(found["hashtags"][0]["history"][0]["uses"], "3");
    assert_eq!(week_statuses(&bob).await, before + 3, "the week's statuses");
    let rows = n
        .state
        .db
        .run(|c| -> Result<(i64, i64), db::DbError> {
            use cohort::db::schema::{tag_days, tag_stats};
            use diesel::prelude::*;
            let stats = tag_stats::table
                .filter(tag_stats::name.eq("gamma"))
                .count()
                .get_result(c)?;
            let days = tag_days::table
                .filter(tag_days::name.eq("gamma"))
                .count()
                .get_result(c)?;
            Ok((stats, days))
        })
        .await
        .unwrap();
    assert_eq!(rows, (3, 3), "one row per slot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hashtags_week_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
    run(url, dir).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hashtags_week_on_postgres() {
    let Some(url) = db::test_postgres_database("taghist") else {
        return;
    };
    run(url, tempfile::tempdir().unwrap()).await;
}
