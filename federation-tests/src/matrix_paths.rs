//! The read paths and deliveries the privacy matrix checks, each cell against the matrix's own
//! expectation (`matrix::may_see`) for the reader's actual relations (`matrix_world`).

use crate::{
    api::Api,
    cohort_calls as lib,
    matrix::{listed, may_see, Content, Expect, Kind, Matrix, Rel},
    matrix_world::World,
    TestNode,
};
use serde_json::Value;
use std::collections::BTreeSet;

/// A post of the matrix as A published it.
pub struct Published {
    pub content: Content,
    /// A's local id (client API).
    pub id: String,
    /// The post's URL (`/posts/{id}`).
    pub ap_id: String,
    /// The URL of the `Create` that carried it.
    pub create_id: Option<String>,
}

/// Local readers of A (and the anonymous visitor).
pub const LOCAL_READERS: [&str; 5] = ["anonymous", "stranger", "fan", "member", "mentioned"];
/// Peer nodes reading from A.
pub const PEERS: [&str; 4] = ["B", "C", "D", "E"];
/// Remote accounts and their nodes.
pub const REMOTE_USERS: [(&str, &str); 6] = [
    ("b_follower", "B"),
    ("b_member", "B"),
    ("b_mentioned", "B"),
    ("c_user", "C"),
    ("d_user", "D"),
    ("e_user", "E"),
];

fn local_rel(w: &World, reader: &'static str, c: &Content) -> (Kind, Rel) {
    let member = |u| c.group.as_ref().is_some_and(|g| w.is_member(u, &g.name));
    match reader {
        "anonymous" => (Kind::Anonymous, Rel::default()),
        "fan" => (
            Kind::Local,
            Rel {
                follower: w.follows("fan"),
                ..Rel::default()
            },
        ),
        "member" => (
            Kind::Local,
            Rel {
                member: member("member"),
                ..Rel::default()
            },
        ),
        "mentioned" => (
            Kind::Local,
            Rel {
                addressee: c.addressed,
                ..Rel::default()
            },
        ),
        _ => (Kind::Local, Rel::default()),
    }
}

/// A peer node as a reader: what it hosts.
fn peer_rel(w: &World, peer: &str, c: &Content) -> (Kind, Rel) {
    let member = |u| c.group.as_ref().is_some_and(|g| w.is_member(u, &g.name));
    match peer {
        "B" => (
            Kind::Full,
            Rel {
                follower: w.follows("b_follower"),
                member: member("b_member"),
                addressee: c.addressed,
            },
        ),
        "C" => (
            Kind::Full,
            Rel {
                follower: w.follows("c_user"),
                ..Rel::default()
            },
        ),
        "D" => (
            Kind::Limited,
            Rel {
                follower: w.follows("d_user"),
                addressee: c.addressed,
                ..Rel::default()
            },
        ),
        _ => (
            Kind::Blocked,
            Rel {
                follower: w.follows("e_user"),
                addressee: c.addressed,
                ..Rel::default()
            },
        ),
    }
}

/// Is `user` owed the content (a subscriber: the group's member, else the author's follower; or
/// an addressee)?
fn owed(w: &World, user: &'static str, c: &Content) -> bool {
    let subscribed = match &c.group {
        Some(g) => w.is_member(user, &g.name),
        None => w.follows(user),
    };
    let addressed =
        c.addressed && matches!(user, "mentioned" | "b_mentioned" | "d_user" | "e_user");
    subscribed || addressed
}

fn node<'a>(w: &'a World, name: &str) -> &'a TestNode {
    match name {
        "B" => &w.b,
        "C" => &w.c,
        "D" => &w.d,
        _ => &w.e,
    }
}

fn session<'a>(w: &'a World, reader: &str, anon: &'a Api) -> &'a Api {
    if reader == "anonymous" {
        anon
    } else {
        w.user(reader)
    }
}

fn ids(items: &[Value]) -> BTreeSet<String> {
    items
        .iter()
        .filter_map(|s| s["id"].as_str().map(String::from))
        .collect()
}

/// The client API of A, as each local reader.
pub async fn client_api(w: &World, posts: &[Published], m: &mut Matrix) {
    let anon = Api::anonymous(&w.a.base());
    let author_id = anon.get("/api/v1/accounts/lookup?acct=author").await.1["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    for reader in LOCAL_READERS {
        let api = session(w, reader, &anon);
        let account = ids(&api
            .all_pages(&format!("/api/v1/accounts/{author_id}/statuses"))
            .await);
        let public = api.all_text("/api/v1/timelines/public").await;
        let home = if reader == "anonymous" {
            None
        } else {
            Some(api.all_text("/api/v1/timelines/home").await)
        };
        for p in posts {
            let c = &p.content;
            let (kind, rel) = local_rel(w, reader, c);
            let sees = may_see(c, kind, rel);
            let (code, _) = api.get(&format!("/api/v1/statuses/{}", p.id)).await;
            m.note(
                "api.status",
                &c.key,
                reader,
                Expect::of(sees),
                code == 200,
                &code.to_string(),
            );
            m.check(
                "api.account",
                &c.key,
                reader,
                Expect::of(sees),
                account.contains(&p.id),
            );
            m.check(
                "api.public",
                &c.key,
                reader,
                Expect::of(listed(c)),
                public.contains(&c.marker()),
            );
            if let Some(home) = &home {
                let subscribed = reader != "mentioned" && owed(w, reader, c);
                m.check(
                    "api.home",
                    &c.key,
                    reader,
                    Expect::owed(sees, subscribed),
                    home.contains(&c.marker()),
                );
            }
            if let Some(parent) = posts
                .iter()
                .find(|q| Some(&q.content.key) == c.parent.as_ref())
            {
                let (_, ctx) = api
                    .get(&format!("/api/v1/statuses/{}/context", parent.id))
                    .await;
                let desc = ctx["descendants"].as_array().cloned().unwrap_or_default();
                m.check(
                    "api.context",
                    &c.key,
                    reader,
                    Expect::of(sees),
                    ids(&desc).contains(&p.id),
                );
            }
        }
    }
}

/// An ActivityPub GET: signed by the peer node's key, or anonymous.
async fn ap_get(w: &World, reader: &str, url: &str) -> Option<Value> {
    if reader == "anonymous" {
        let r = reqwest::Client::new()
            .get(url)
            .header("Accept", "application/activity+json")
            .send()
            .await
            .ok()?;
        return if r.status() == 200 {
            r.json().await.ok()
        } else {
            None
        };
    }
    lib::signed_get(node(w, reader), url).await
}

/// The objects of the `Create`s in the author's outbox, as `reader` is served them.
async fn outbox_objects(w: &World, reader: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut next = Some(format!("{}/users/author/outbox?page=1", w.a.base()));
    for _ in 0..50 {
        let Some(url) = next.take() else { break };
        let Some(page) = ap_get(w, reader, &url).await else {
            break;
        };
        for item in page["orderedItems"].as_array().into_iter().flatten() {
            let obj = &item["object"];
            out.extend(obj["id"].as_str().or(obj.as_str()).map(String::from));
        }
        next = page["next"].as_str().map(String::from);
    }
    out
}

/// ActivityPub documents of A, as each peer (signed) and anonymously. A runs in allowlist mode,
/// where an unsigned GET is answered for nothing but the node's own actor.
pub async fn activitypub(w: &World, posts: &[Published], m: &mut Matrix) {
    for reader in std::iter::once("anonymous").chain(PEERS) {
        let outbox = outbox_objects(w, reader).await;
        for p in posts {
            let c = &p.content;
            let expect = if reader == "anonymous" {
                Expect::No
            } else {
                let (kind, rel) = peer_rel(w, reader, c);
                Expect::of(may_see(c, kind, rel))
            };
            m.check(
                "ap.outbox",
                &c.key,
                reader,
                expect,
                outbox.contains(&p.ap_id),
            );
            let post = ap_get(w, reader, &p.ap_id).await;
            m.check(
                "ap.post",
                &c.key,
                reader,
                expect,
                post.is_some_and(|v| v["id"] == p.ap_id.as_str()),
            );
            let activity = match &p.create_id {
                Some(id) => ap_get(w, reader, id).await.is_some(),
                None => false,
            };
            let note = if p.create_id.is_none() {
                "no Create found on A"
            } else {
                ""
            };
            m.note("ap.activity", &c.key, reader, expect, activity, note);
        }
    }
}

/// What each remote node stored: its users' home timelines and notifications (client API of that
/// node), and its database (read-only), once A's queue has settled.
pub async fn deliveries(w: &World, posts: &[Published], m: &mut Matrix) {
    for (user, peer) in REMOTE_USERS {
        let api = w.user(user);
        let text = format!(
            "{}\n{}",
            api.all_text("/api/v1/timelines/home").await,
            api.all_text("/api/v1/notifications").await
        );
        for p in posts {
            let c = &p.content;
            let (kind, rel) = peer_rel(w, peer, c);
            let expect = Expect::owed(may_see(c, kind, rel), owed(w, user, c));
            m.check(
                "recv.user",
                &c.key,
                user,
                expect,
                text.contains(&c.marker()),
            );
        }
    }
    for peer in PEERS {
        let n = node(w, peer);
        for p in posts {
            let c = &p.content;
            let (kind, rel) = peer_rel(w, peer, c);
            let any_owed = REMOTE_USERS
                .iter()
                .any(|(u, q)| *q == peer && owed(w, u, c));
            let expect = Expect::owed(may_see(c, kind, rel), any_owed);
            m.check(
                "recv.db",
                &c.key,
                peer,
                expect,
                lib::stores_post(n, &p.ap_id).await,
            );
        }
    }
}
