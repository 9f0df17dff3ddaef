//! The privacy matrix: every kind of content (each post visibility, outside groups and in each kind
//! of group, plus narrow replies) × every kind of reader (anonymous, local accounts with each
//! relation, full peers with and without members, a limited and a blocked peer) × every path (client
//! API reads, ActivityPub documents and the outbox, and what each peer actually stored after
//! delivery). Expectations come from `federation_tests::matrix`, the test's own statement of the
//! documented rule. Every cell is collected; one run prints every mismatch, then fails if any.
//!
//! Nodes are driven through HTTP only (client API, signed and unsigned ActivityPub GETs), apart from
//! the set-up and read-only inspection in `federation_tests::cohort_calls`.

use federation_tests::{
    cohort_calls as lib,
    matrix::{Content, Expect, Matrix, Vis},
    matrix_paths::{self, Published},
    matrix_world::{self, World},
    Store,
};
use std::time::{Duration, Instant};

fn content(key: &str, vis: Vis, group: Option<usize>, parent: Option<&str>, w: &World) -> Content {
    Content {
        key: key.into(),
        vis,
        group: group.map(|i| w.groups[i].clone()),
        parent: parent.map(String::from),
        addressed: true,
    }
}

/// The matrix's content: the author's posts of each visibility, outside groups and in each group,
/// then private and direct replies to public posts.
fn plan(w: &World) -> Vec<Content> {
    let mut out = Vec::new();
    for v in Vis::ALL {
        out.push(content(v.api(), v, None, None, w));
    }
    for (i, g) in w.groups.iter().enumerate() {
        for v in Vis::ALL {
            out.push(content(
                &format!("{}.{}", &g.name[2..], v.api()),
                v,
                Some(i),
                None,
                w,
            ));
        }
    }
    out.push(content("re.private", Vis::Private, None, Some("public"), w));
    out.push(content("re.direct", Vis::Direct, None, Some("public"), w));
    out.push(content(
        "re.public.private",
        Vis::Private,
        Some(0),
        Some("public.public"),
        w,
    ));
    out.push(content(
        "re.members.direct",
        Vis::Direct,
        Some(2),
        Some("members.public"),
        w,
    ));
    out
}

/// Publishes one post as the author through A's client API.
async fn publish(w: &World, c: &Content, done: &[Published], m: &mut Matrix) -> Option<Published> {
    let mut text = format!("{} ", c.marker());
    if let (Some(g), None) = (&c.group, &c.parent) {
        text.push_str(&format!("@{} ", World::acct(&w.a, &g.name)));
    }
    if c.addressed {
        text.push_str(&w.addressees());
    }
    let parent = c
        .parent
        .as_ref()
        .and_then(|k| done.iter().find(|p| &p.content.key == k))
        .map(|p| p.id.as_str());
    match w.user("author").status(&text, c.vis.api(), parent).await {
        Ok(s) => {
            let ap_id = s["uri"].as_str().unwrap_or_default().to_string();
            Some(Published {
                content: c.clone(),
                id: s["id"].as_str().unwrap_or_default().to_string(),
                create_id: lib::create_activity_id(&w.a, "author", &ap_id).await,
                ap_id,
            })
        }
        Err(e) => {
            m.note(
                "setup",
                &c.key,
                "author",
                Expect::Yes,
                false,
                &format!("post refused: {e}"),
            );
            None
        }
    }
}

/// Waits (without sleeping blindly) until A has nothing left to send or retry.
async fn settle(w: &World, m: &mut Matrix, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut pending = lib::pending_deliveries(&w.a).await;
    while pending > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
        pending = lib::pending_deliveries(&w.a).await;
    }
    m.note(
        "settle",
        what,
        "A",
        Expect::Yes,
        pending == 0,
        &format!("{pending} pending"),
    );
}

/// Positive controls sent after everything else: a public post reaches the author's followers on
/// B, C and D, and a public group post reaches B's member. Once they are there, whatever was
/// queued before them has been delivered (or refused) too.
async fn controls(w: &World, m: &mut Matrix) {
    let author = w.user("author");
    let group = World::acct(&w.a, "g_public");
    let sent = [
        author.status("mxq-control-qxm", "public", None).await,
        author
            .status(&format!("mxq-gcontrol-qxm @{group}"), "public", None)
            .await,
    ];
    for s in &sent {
        m.note(
            "setup",
            "controls",
            "author",
            Expect::Yes,
            s.is_ok(),
            &format!("{:?}", s.as_ref().err()),
        );
    }
    let wanted = [
        ("b_follower", "mxq-control-qxm"),
        ("c_user", "mxq-control-qxm"),
        ("d_user", "mxq-control-qxm"),
        ("b_member", "mxq-gcontrol-qxm"),
    ];
    for (user, marker) in wanted {
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut seen = false;
        while !seen && Instant::now() < deadline {
            seen = w
                .user(user)
                .all_text("/api/v1/timelines/home")
                .await
                .contains(marker);
            if !seen {
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        }
        m.check("control", marker, user, Expect::Yes, seen);
    }
}

async fn run(store: Store) {
    let started = Instant::now();
    let mut m = Matrix::default();
    let Some(w) = matrix_world::build(store, &mut m).await else {
        return; // PostgreSQL unavailable outside CI: skipped loudly by the harness.
    };
    let mut posts: Vec<Published> = Vec::new();
    for c in plan(&w) {
        if let Some(p) = publish(&w, &c, &posts, &mut m).await {
            posts.push(p);
        }
    }
    settle(&w, &mut m, "content").await;
    controls(&w, &mut m).await;
    settle(&w, &mut m, "controls").await;

    matrix_paths::deliveries(&w, &posts, &mut m).await;
    matrix_paths::client_api(&w, &posts, &mut m).await;
    matrix_paths::activitypub(&w, &posts, &mut m).await;

    m.dump();
    let (failures, table) = m.report();
    println!("{table}");
    eprintln!("privacy matrix on {store:?}: {:.1?}", started.elapsed());
    assert_eq!(failures, 0, "privacy matrix mismatches:\n{table}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn privacy_matrix_on_sqlite() {
    run(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn privacy_matrix_on_postgres() {
    run(Store::Postgres).await;
}
