//! The public records of group decisions, over real HTTP (the world is in
//! `federation_tests::decisions_world`): a public group's decision log, proposal page and
//! governance page show the decisions (title, rule, scope, tally, rationale, lifecycle) and the
//! document's versions, and its `decisions` collection lists them to every allowed reader. A
//! members-only group's records are hidden from anonymous visitors (404 pages, 401 collection),
//! limited and blocked peers, and listed empty to a full peer hosting no member.

use federation_tests::{cohort_calls::signed_get, decisions_world, TestNode};
use serde_json::Value;

async fn get(url: &str, accept: &str) -> (u16, String) {
    let r = reqwest::Client::new()
        .get(url)
        .header("accept", accept)
        .send()
        .await;
    let r = r.expect("get");
    (r.status().as_u16(), r.text().await.expect("body"))
}

async fn page(a: &TestNode, path: &str) -> (u16, String) {
    get(&format!("{}{path}", a.base()), "text/html").await
}

/// Asserts that the page at `path` answers 200 and shows each of `shown`; returns it.
async fn shows(a: &TestNode, path: &str, shown: &[&str]) -> String {
    let (s, body) = page(a, path).await;
    assert_eq!(s, 200, "{path}: {body}");
    for x in shown {
        assert!(body.contains(x), "{path} lacks {x:?}: {body}");
    }
    body
}

/// The post ids a `decisions` collection lists to `reader` (`None`: refused).
async fn listed(reader: &TestNode, url: &str) -> Option<Vec<String>> {
    let summary = signed_get(reader, url).await?;
    assert_eq!(summary["type"], "OrderedCollection", "{summary}");
    let first = signed_get(reader, summary["first"].as_str().expect("first")).await?;
    let items = first["orderedItems"].as_array().expect("items");
    assert_eq!(summary["totalItems"], items.len(), "{first}");
    Some(
        items
            .iter()
            .map(|i| i.as_str().expect("id").into())
            .collect(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decision_records_follow_the_audience_rule() {
    let w = decisions_world::build().await;
    let (a, q, rule) = (&w.a, &w.question, &w.rule);
    let institution = |n: &TestNode| format!("<td>{}</td>", n.domain);
    shows(
        a,
        "/groups/open",
        &[
            "/groups/open/decisions\">Decision log",
            "/governance\">Governance",
        ],
    )
    .await;
    let log = shows(
        a,
        "/groups/open/decisions",
        &[
            "Study sleep and recovery",
            "Open outreach to a vote",
            "Outcome: <strong>rejected",
            "Outcome: <strong>accepted",
            "Tally: 1 approve · 2 object · 0 abstain",
            "Tally: 2 approve · 0 object · 0 abstain",
            "<dd>double-majority</dd>",
            "<dd>supermajority:2/3</dd>",
            "<dd>research (open)</dd>",
            "<dd>governance (open)</dd>",
            "Per institution",
            &institution(a),
            &institution(&w.b),
            "A majority objects.",
            "Unanimous among voters.",
            &format!("/proposals/{}#log", q.id),
        ],
    )
    .await;
    assert!(
        log.find("Open outreach") < log.find("Study sleep"),
        "newest decision first"
    );
    shows(
        a,
        &format!("/proposals/{}", q.id),
        &[
            "<p>Study sleep and recovery: the case for it.</p>",
            "Does sleep help recovery?",
            "State: <strong>rejected",
            "Lifecycle log",
            "open → voting by @alice@",
            "voting → rejected by @lead@",
            ": A majority objects.",
        ],
    )
    .await;
    shows(
        a,
        "/groups/open/governance",
        &[
            "<td>outreach</td><td>open</td>",
            "<td>budget</td><td>shared</td>",
            "Be kind to reviewers.",
            "Version 2 —",
            "Version 1 —",
            "the first version",
            &format!("/proposals/{}\">Open outreach to a vote</a>", rule.id),
        ],
    )
    .await;
    shows(a, "/governance", &["<td>data-access</td><td>reserved</td>"]).await;

    // The members-only group's records: no page for anonymous visitors.
    let hidden = format!("/proposals/{}", w.hidden.id);
    for path in [
        "/groups/inner/decisions",
        "/groups/inner/governance",
        &hidden,
    ] {
        assert_eq!(page(a, path).await.0, 404, "{path}");
    }

    // The collections, as each reader is served them.
    let url = |g: &str| format!("{}/groups/{g}/decisions", a.base());
    let ap = "application/activity+json";
    assert_eq!(
        get(&url("open"), ap).await.0,
        401,
        "allowlist mode: unsigned fetches refused"
    );
    assert_eq!(get(&url("inner"), ap).await.0, 401);
    let id = |p: &cohort::db::proposals::ProposalRow| p.ap_id.clone().expect("post id");
    let both = Some(vec![id(rule), id(q)]);
    for (reader, name) in [(&w.b, "B"), (&w.c, "C"), (&w.d, "D (limited)")] {
        assert_eq!(
            listed(reader, &url("open")).await,
            both,
            "{name}: a public group"
        );
    }
    assert_eq!(
        listed(&w.e, &url("open")).await,
        None,
        "a blocked peer gets nothing"
    );
    assert_eq!(
        listed(&w.b, &url("inner")).await,
        Some(vec![id(&w.hidden)]),
        "B hosts a member"
    );
    assert_eq!(
        listed(&w.c, &url("inner")).await,
        Some(vec![]),
        "a full peer without members"
    );
    assert_eq!(listed(&w.d, &url("inner")).await, None, "a limited peer");
    assert_eq!(listed(&w.e, &url("inner")).await, None, "a blocked peer");

    // The group actor names its collection, a term of Cohort's context.
    let actor = signed_get(&w.c, &w.open.ap_id).await.expect("actor");
    assert_eq!(actor["decisions"], Value::String(url("open")), "{actor}");
    let (_, context) = get(&format!("{}/ns/cohort", a.base()), "application/ld+json").await;
    assert!(context.contains("cohort:decisions"), "{context}");
}
