//! The read paths and deliveries the privacy matrix checks, each cell against the matrix's own
//! expectation (`matrix::may_see`) for the reader's actual relations (`matrix_world`).

use crate::{
    api::Api,
    cohort_calls as lib,
    matrix::{listed, may_see, Expect, Kind},
    matrix_rel::{
        local_rel, node, owed, peer_rel, user_rel, Published, LOCAL_READERS, PEERS, REMOTE_USERS,
    },
    matrix_report::Matrix,
    matrix_world::World,
};
use serde_json::Value;
use std::collections::BTreeSet;

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

/// The client API of A, as each local reader: status by id, context of the parent, the author's
/// account statuses, home and public timelines.
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
        let home = match reader {
            "anonymous" => None,
            _ => Some(api.all_text("/api/v1/timelines/home").await),
        };
        for p in posts {
            let c = &p.content;
            let (kind, rel) = local_rel(w, reader, c);
            let sees = Expect::of(may_see(c, kind, rel));
            let (code, note) = match &p.id {
                Some(id) => {
                    let (code, s) = api.get(&format!("/api/v1/statuses/{id}")).await;
                    (
                        code,
                        format!("{code} {}", s["visibility"].as_str().unwrap_or("")),
                    )
                }
                None => (0, "A has no copy".to_string()),
            };
            m.note("api.status", &c.key, reader, sees, code == 200, &note);
            if p.local() {
                let listed_here = p.id.as_ref().is_some_and(|id| account.contains(id));
                m.check("api.account", &c.key, reader, sees, listed_here);
            }
            let on_public = public.contains(&c.marker());
            m.check(
                "api.public",
                &c.key,
                reader,
                Expect::of(listed(c)),
                on_public,
            );
            if let Some(home) = &home {
                let subscribed = reader != "mentioned" && owed(w, reader, c);
                let expect = Expect::owed(may_see(c, kind, rel), subscribed);
                m.check(
                    "api.home",
                    &c.key,
                    reader,
                    expect,
                    home.contains(&c.marker()),
                );
            }
            let parent = posts
                .iter()
                .find(|q| Some(&q.content.key) == c.parent.as_ref())
                .and_then(|q| q.id.as_ref());
            if let Some(parent) = parent {
                let (_, ctx) = api.get(&format!("/api/v1/statuses/{parent}/context")).await;
                let desc = ids(ctx["descendants"].as_array().map_or(&[][..], |v| v));
                let shown = p.id.as_ref().is_some_and(|id| desc.contains(id));
                m.check("api.context", &c.key, reader, sees, shown);
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

/// The post URLs an outbox carries (in `Create`s, or in a group's `Announce`s of them), as
/// `reader` is served it, following `next` from page 1.
async fn outbox_posts(w: &World, reader: &str, actor: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut next = Some(format!("{}/{actor}/outbox?page=1", w.a.base()));
    for _ in 0..50 {
        let Some(url) = next.take() else { break };
        let Some(page) = ap_get(w, reader, &url).await else {
            break;
        };
        for item in page["orderedItems"].as_array().into_iter().flatten() {
            // Create{object: Note | id}, or Announce{object: Create{object: …} | Note | id}.
            let mut obj = &item["object"];
            if obj["type"] == "Create" || obj["type"] == "Update" {
                obj = &obj["object"];
            }
            out.extend(obj["id"].as_str().or(obj.as_str()).map(String::from));
        }
        next = page["next"].as_str().map(String::from);
    }
    out
}

/// ActivityPub documents of A, as each peer (signed) and anonymously: the author's outbox, each
/// post and its `Create` by id, and each group's outbox. A runs in allowlist mode, where an
/// unsigned GET is answered for nothing but the node's own actor.
pub async fn activitypub(w: &World, posts: &[Published], m: &mut Matrix) {
    for reader in std::iter::once("anonymous").chain(PEERS) {
        let outbox = outbox_posts(w, reader, "users/author").await;
        let mut groups = std::collections::BTreeMap::new();
        for g in &w.groups {
            let items = outbox_posts(w, reader, &format!("groups/{}", g.name)).await;
            groups.insert(g.name.clone(), items);
        }
        for p in posts {
            let c = &p.content;
            let expect = if reader == "anonymous" {
                Expect::No
            } else {
                let (kind, rel) = peer_rel(w, reader, c);
                Expect::of(may_see(c, kind, rel))
            };
            if let Some(g) = &c.group {
                let listed_here = groups[&g.name].contains(&p.ap_id);
                m.check("ap.g_outbox", &c.key, reader, expect, listed_here);
            }
            if !p.local() {
                continue; // A serves its own posts and activities only.
            }
            m.check(
                "ap.outbox",
                &c.key,
                reader,
                expect,
                outbox.contains(&p.ap_id),
            );
            let post = ap_get(w, reader, &p.ap_id).await;
            let served = post.is_some_and(|v| v["id"] == p.ap_id.as_str());
            m.check("ap.post", &c.key, reader, expect, served);
            let (activity, note) = match &p.create_id {
                Some(id) => (ap_get(w, reader, id).await.is_some(), ""),
                None => (false, "no Create found on A"),
            };
            m.note("ap.activity", &c.key, reader, expect, activity, note);
        }
    }
}

/// What each remote node stored: its users' home timelines and notifications (client API of that
/// node; an account must not be shown what the rule hides from it, even when its node may hold the
/// post for another account), and its database (read-only), once every queue has settled.
pub async fn deliveries(w: &World, posts: &[Published], m: &mut Matrix) {
    for (user, peer) in REMOTE_USERS {
        let api = w.user(user);
        let text = format!(
            "{}\n{}",
            api.all_text("/api/v1/timelines/home").await,
            api.all_text("/api/v1/notifications").await
        );
        for p in posts.iter().filter(|p| p.content.author != user) {
            let c = &p.content;
            let (kind, rel) = peer_rel(w, peer, c);
            // The node may hold it, and the account may see it there (as a local reader).
            let allowed = may_see(c, kind, rel) && may_see(c, Kind::Local, user_rel(w, user, c));
            let expect = Expect::owed(allowed, owed(w, user, c));
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
