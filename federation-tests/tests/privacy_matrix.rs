//! The privacy matrix: every kind of content (each post visibility, outside groups and in each kind
//! of group, plus narrow replies) × every kind of reader (anonymous, local accounts with each
//! relation, full peers with and without members or followers, a limited and a blocked peer) × every path (client
//! API reads, ActivityPub documents and the outbox, and what each peer actually stored after
//! delivery). Expectations come from `federation_tests::matrix`, the test's own statement of the
//! documented rule. Every cell is collected; one run prints every mismatch, then fails if any.
//!
//! Nodes are driven through HTTP only (client API, signed and unsigned ActivityPub GETs), apart from
//! the set-up and read-only inspection in `federation_tests::cohort_calls`.

use federation_tests::{
    cohort_calls as lib,
    matrix::{Content, Expect, Vis},
    matrix_paths,
    matrix_rel::Published,
    matrix_report::Matrix,
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
        author: "author",
    }
}

/// The matrix's content: the author's posts of each visibility, outside groups and in each group,
/// then private and direct replies to public posts; and posts by B's member into A's narrower
/// groups (remote content that A relays).
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
    let remote = [
        (1, Vis::Public),
        (1, Vis::Private),
        (1, Vis::Direct),
        (2, Vis::Public),
        (2, Vis::Private),
        (2, Vis::Direct),
        (4, Vis::Private),
    ];
    for (g, vis) in remote {
        let key = format!("r.{}.{}", &w.groups[g].name[2..], vis.api());
        let mut c = content(&key, vis, Some(g), None, w);
        c.author = "b_member";
        out.push(c);
    }
    out
}

/// Publishes one post through its author's node's client API.
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
        .and_then(|p| p.id.as_deref());
    match w.user(c.author).status(&text, c.vis.api(), parent).await {
        Ok(s) => {
            let ap_id = s["uri"].as_str().unwrap_or_default().to_string();
            let local = c.author == "author";
            Some(Published {
                content: c.clone(),
                // A remote post's id on A is looked up once deliveries have settled.
                id: s["id"].as_str().filter(|_| local).map(String::from),
                create_id: lib::create_activity_id(&w.a, "author", &ap_id).await,
                ap_id,
            })
        }
        Err(e) => {
            let e = format!("post refused: {e}");
            m.note("setup", &c.key, c.author, Expect::Yes, false, &e);
            None
        }
    }
}

/// Waits (without sleeping blindly) until no node has anything left to send or retry.
async fn settle(w: &World, m: &mut Matrix, what: &str) {
    for n in [&w.a, &w.b, &w.c, &w.d, &w.e, &w.f] {
        let deadline = Instant::now() + Duration::from_secs(180);
        let mut pending = lib::pending_deliveries(n).await;
        while pending > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(200)).await;
            pending = lib::pending_deliveries(n).await;
        }
        let note = format!("{pending} pending");
        m.note("settle", what, &n.name, Expect::Yes, pending == 0, &note);
    }
}

/// Positive controls sent after everything else: a public post reaches the author's followers on
/// B, C and D, a public group post reaches B's member, and B's member's public group post reaches
/// A's member. Once they are there, whatever was
/// queued before them has been delivered (or refused) too.
async fn controls(w: &World, m: &mut Matrix) {
    let author = w.user("author");
    let group = World::acct(&w.a, "g_public");
    let sent = [
        author.status("mxq-control-qxm", "public", None).await,
        author
            .status(&format!("mxq-gcontrol-qxm @{group}"), "public", None)
            .await,
        w.user("b_member")
            .status(&format!("mxq-rcontrol-qxm @{group}"), "public", None)
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
        ("member", "mxq-rcontrol-qxm"),
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
    for p in posts.iter_mut().filter(|p| p.id.is_none()) {
        p.id = lib::local_id(&w.a, &p.ap_id).await;
    }

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
