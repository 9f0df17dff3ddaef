//! Filters v2 through the client API on one node, on SQLite and on PostgreSQL: warn and hide at
//! home, in notifications and on public timelines, whole words, keywords and statuses, the v1
//! view, and every refused request changing nothing.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::Node;
use serde_json::{json, Value};
use support::{http::serve, personal::*, *};

async fn filters(n: Node) {
    let base = serve(&n).await;
    let alice = Member::new(&n, &base, "alice").await;
    let bob = Member::new(&n, &base, "bob").await;
    let dave = Member::new(&n, &base, "dave").await;
    alice
        .ok("POST", &format!("/api/v1/accounts/{}/follow", bob.id), None)
        .await;

    // Refusals change nothing.
    for bad in [
        json!({"title": "", "context": ["home"]}),
        json!({"title": "t", "context": ["home", "everywhere"]}),
        json!({"title": "t", "context": []}),
        json!({"title": "t"}),
        json!({"title": "t", "context": ["home"], "filter_action": "explode"}),
        json!({"title": "t", "context": ["home"], "expires_in": -5}),
        json!({"title": "t", "context": ["home"], "keywords_attributes": [{"keyword": " "}]}),
    ] {
        alice
            .refused("POST", "/api/v2/filters", Some(bad), 422)
            .await;
    }
    assert_eq!(alice.ok("GET", "/api/v2/filters", None).await, json!([]));

    let warn = alice
        .ok(
            "POST",
            "/api/v2/filters",
            Some(json!({
                "title": "Spoilers", "context": ["home", "public"], "filter_action": "warn",
                "keywords_attributes": [{"keyword": "finale", "whole_word": true}]
            })),
        )
        .await;
    let warn_id = warn["id"].as_str().unwrap().to_string();
    assert_eq!(warn["keywords"][0]["keyword"], "finale");
    assert_eq!(warn["expires_at"], Value::Null);
    let hide = alice
        .ok("POST", "/api/v2/filters", Some(json!({
            "title": "Noise", "context": ["home", "notifications"], "filter_action": "hide",
            "expires_in": 3600, "keywords_attributes": [{"keyword": "crypto", "whole_word": false}]
        })))
        .await;
    let hide_id = hide["id"].as_str().unwrap().to_string();
    assert!(hide["expires_at"].is_string());

    let spoiler = bob.post("The Finale was great", json!({})).await;
    let near = bob.post("finales are overrated", json!({})).await;
    let noisy = bob.post("buy CRYPTOcoins", json!({})).await;
    let mention = bob
        .post(&format!("@alice@{HERE} crypto for you"), json!({}))
        .await;
    let home = alice.ok("GET", "/api/v1/timelines/home", None).await;
    let shown = ids(&home);
    assert!(
        !shown.contains(&noisy) && !shown.contains(&mention),
        "{shown:?}"
    );
    let warned = home
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == spoiler.as_str())
        .unwrap();
    assert_eq!(warned["filtered"][0]["filter"]["id"], warn_id.as_str());
    assert_eq!(warned["filtered"][0]["keyword_matches"], json!(["finale"]));
    let whole = home
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == near.as_str())
        .unwrap();
    assert!(whole.get("filtered").is_none(), "whole word: {whole}");
    // Not for bob, and not outside the filter's contexts (the account context).
    let bobs_home = bob.ok("GET", "/api/v1/timelines/home", None).await;
    assert!(ids(&bobs_home).contains(&noisy));
    let account = alice
        .ok(
            "GET",
            &format!("/api/v1/accounts/{}/statuses", bob.id),
            None,
        )
        .await;
    assert!(ids(&account).contains(&noisy));
    // Notifications: the hidden mention is left out.
    let notes = alice.ok("GET", "/api/v1/notifications", None).await;
    assert!(
        !notes
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["status"]["id"] == mention.as_str()),
        "{notes}"
    );
    // The streams: the hidden post never reaches the user stream, the warned one carries it.
    let public = alice.ok("GET", "/api/v1/timelines/public", None).await;
    let p = public
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == spoiler.as_str())
        .unwrap();
    assert_eq!(p["filtered"][0]["filter"]["title"], "Spoilers");

    // Keywords and statuses, each only for their owner.
    let kw = alice
        .ok(
            "POST",
            &format!("/api/v2/filters/{warn_id}/keywords"),
            Some(json!({"keyword": "ending", "whole_word": false})),
        )
        .await;
    let kw_id = kw["id"].as_str().unwrap();
    alice
        .refused(
            "POST",
            &format!("/api/v2/filters/{warn_id}/keywords"),
            Some(json!({"keyword": ""})),
            422,
        )
        .await;
    assert_eq!(
        alice
            .ok("GET", &format!("/api/v2/filters/{warn_id}/keywords"), None)
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
    dave.refused(
        "GET",
        &format!("/api/v2/filters/keywords/{kw_id}"),
        None,
        404,
    )
    .await;
    dave.refused("GET", &format!("/api/v2/filters/{warn_id}"), None, 404)
        .await;
    dave.refused("DELETE", &format!("/api/v2/filters/{warn_id}"), None, 404)
        .await;
    let changed = alice
        .ok(
            "PUT",
            &format!("/api/v2/filter_keywords/{kw_id}"),
            Some(json!({"whole_word": true})),
        )
        .await;
    assert_eq!(changed["whole_word"], true);
    alice
        .ok("DELETE", &format!("/api/v2/filters/keywords/{kw_id}"), None)
        .await;
    alice
        .refused(
            "GET",
            &format!("/api/v2/filters/keywords/{kw_id}"),
            None,
            404,
        )
        .await;
    let fs = alice
        .ok(
            "POST",
            &format!("/api/v2/filters/{warn_id}/statuses"),
            Some(json!({"status_id": near})),
        )
        .await;
    assert_eq!(fs["status_id"], near.as_str());
    alice
        .refused(
            "POST",
            &format!("/api/v2/filters/{warn_id}/statuses"),
            Some(json!({"status_id": near})),
            422,
        )
        .await;
    alice
        .refused(
            "POST",
            &format!("/api/v2/filters/{warn_id}/statuses"),
            Some(json!({"status_id": "01UNKNOWN"})),
            404,
        )
        .await;
    let home = alice.ok("GET", "/api/v1/timelines/home", None).await;
    let by_status = home
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == near.as_str())
        .unwrap();
    assert_eq!(by_status["filtered"][0]["status_matches"], json!([near]));
    let fs_id = fs["id"].as_str().unwrap();
    assert_eq!(
        alice
            .ok("GET", &format!("/api/v2/filter_statuses/{fs_id}"), None)
            .await["status_id"],
        near.as_str()
    );
    alice
        .ok("DELETE", &format!("/api/v2/filters/statuses/{fs_id}"), None)
        .await;

    // v1 shape of the keywords; changing and deleting a filter.
    let v1 = alice.ok("GET", "/api/v1/filters", None).await;
    assert!(
        v1.as_array()
            .unwrap()
            .iter()
            .any(|f| f["phrase"] == "crypto" && f["irreversible"] == true),
        "{v1}"
    );
    alice
        .refused(
            "PUT",
            &format!("/api/v2/filters/{hide_id}"),
            Some(json!({"context": ["nowhere"]})),
            422,
        )
        .await;
    alice
        .refused(
            "PUT",
            &format!("/api/v2/filters/{hide_id}"),
            Some(json!({"filter_action": "bogus"})),
            422,
        )
        .await;
    assert_eq!(
        alice
            .ok("GET", &format!("/api/v2/filters/{hide_id}"), None)
            .await["filter_action"],
        "hide"
    );
    alice
        .ok(
            "PUT",
            &format!("/api/v2/filters/{hide_id}"),
            Some(json!({"filter_action": "warn"})),
        )
        .await;
    let home = ids(&alice.ok("GET", "/api/v1/timelines/home", None).await);
    assert!(home.contains(&noisy));
    alice
        .ok("DELETE", &format!("/api/v2/filters/{hide_id}"), None)
        .await;
    alice
        .refused("GET", &format!("/api/v2/filters/{hide_id}"), None, 404)
        .await;
    assert_eq!(
        ids(&alice.ok("GET", "/api/v2/filters", None).await),
        [warn_id]
    );
}

both!(filters_on_sqlite, filters_on_postgres, filters, "filters");
