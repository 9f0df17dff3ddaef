//! Remote peers for the inbound load bench: fake peers serving their members' actor documents
//! (each with its own RSA key, as Cohort nodes) and answering 202 on their inboxes, and pre-signed
//! inbox POSTs.

use crate::{
    fake_peer::{self, Answer, FakePeer},
    signing::{self, Post, Signer},
};
use std::collections::HashMap;

/// One remote member: its actor id and the key it signs with.
pub struct Member {
    pub ap_id: String,
    pub signer: Signer,
}

/// A fake peer and its members.
pub struct Peer {
    pub server: FakePeer,
    pub members: Vec<Member>,
}

/// One pre-signed inbox POST: the body and its headers (Date, Digest, Signature, Content-Type).
pub struct Signed {
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
}

/// Starts `n` fake peers with `members` actors each; keys are generated in parallel.
pub async fn peers(n: usize, members: usize) -> Vec<Peer> {
    let mut out = Vec::new();
    for _ in 0..n {
        // Bound before the keys are made (which takes a while), so that no other test takes the
        // port meanwhile.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake peer");
        let port = listener.local_addr().expect("addr").port();
        let base = format!("http://localhost:{port}");
        let keys = futures_keys(members).await;
        let mut answers = HashMap::new();
        let accepted = Answer {
            status: 202,
            content_type: "application/json",
            body: String::new(),
        };
        answers.insert("/inbox".to_string(), accepted.clone());
        let mut list = Vec::new();
        for (i, key) in keys.into_iter().enumerate() {
            let name = format!("m{i}");
            let mut doc = fake_peer::person(&base, &name, &key.public_key);
            // Cohort peers: a group relays to them once (no extra `Announce(Note)` boost).
            if let Some(ctx) = doc["@context"].as_array_mut() {
                ctx.push(serde_json::json!(format!("{base}/ns/cohort")));
            }
            answers.insert(format!("/users/{name}"), Answer::json(&doc));
            answers.insert(format!("/users/{name}/inbox"), accepted.clone());
            let ap_id = format!("{base}/users/{name}");
            list.push(Member {
                signer: Signer {
                    key_id: format!("{ap_id}#main-key"),
                    private_pem: key.private_key,
                },
                ap_id,
            });
        }
        out.push(Peer {
            server: fake_peer::serve(listener, answers),
            members: list,
        });
    }
    out
}

async fn futures_keys(n: usize) -> Vec<activitypub_federation::http_signatures::Keypair> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            tokio::task::spawn_blocking(|| {
                activitypub_federation::http_signatures::generate_actor_keypair().expect("key")
            })
        })
        .collect();
    let mut keys = Vec::new();
    for t in tasks {
        keys.push(t.await.expect("keygen"));
    }
    keys
}

/// What `m` sends to join `group`: a `Follow`, with the body to sign.
pub fn follow(m: &Member, group: &str) -> (Signer, Vec<u8>) {
    let body = serde_json::json!({"@context": AS, "id": format!("{}/follows/1", m.ap_id),
        "type": "Follow", "actor": m.ap_id, "object": group});
    (m.signer.clone(), body.to_string().into_bytes())
}

/// What `m` sends to post the public note `id` into `group`: a `Create`.
pub fn create_in(m: &Member, id: &str, group: &str, text: &str) -> (Signer, Vec<u8>) {
    create_at(m, id, group, text, "2026-01-01T00:00:00Z")
}

/// `create_in`, the note published at `published` (RFC 3339).
pub fn create_at(
    m: &Member,
    id: &str,
    group: &str,
    text: &str,
    published: &str,
) -> (Signer, Vec<u8>) {
    let note = serde_json::json!({"id": id, "type": "Note", "attributedTo": m.ap_id,
        "content": format!("<p>{text}</p>"), "published": published,
        "to": [group], "cc": [PUBLIC], "audience": group});
    let body = serde_json::json!({"@context": AS, "id": format!("{id}/create"), "type": "Create",
        "actor": m.ap_id, "to": [group], "cc": [PUBLIC], "object": note});
    (m.signer.clone(), body.to_string().into_bytes())
}

/// What `m` sends to favourite `object`: a `Like` numbered `n` among its likes.
pub fn like(m: &Member, n: usize, object: &str) -> (Signer, Vec<u8>) {
    let body = serde_json::json!({"@context": AS, "id": format!("{}/likes/{n}", m.ap_id),
        "type": "Like", "actor": m.ap_id, "object": object});
    (m.signer.clone(), body.to_string().into_bytes())
}

const AS: &str = "https://www.w3.org/ns/activitystreams";
const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// Signs each body as its member for `inbox` (on blocking threads, before any clock starts).
pub async fn sign_all(inbox: &str, work: Vec<(Signer, Vec<u8>)>) -> Vec<Signed> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = work.len().div_ceil(threads).max(1);
    let mut tasks = Vec::new();
    let mut work = work.into_iter();
    loop {
        let part: Vec<_> = work.by_ref().take(chunk).collect();
        if part.is_empty() {
            break;
        }
        let inbox = inbox.to_string();
        tasks.push(tokio::task::spawn_blocking(move || {
            part.into_iter()
                .map(|(signer, body)| {
                    let mut headers = signing::sign(
                        &signer,
                        &Post {
                            url: &inbox,
                            body: &body,
                            content_type: "application/activity+json",
                            covered: signing::FULL,
                        },
                    );
                    headers.retain(|(k, _)| k != "host");
                    Signed { body, headers }
                })
                .collect::<Vec<_>>()
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.extend(t.await.expect("sign"));
    }
    out
}

/// Peak and current resident memory of this process (`VmHWM`, `VmRSS` in kB), from /proc.
pub fn memory_kb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// A node serving HTTP on a free port, without its background workers (nothing runs statements
/// but what it is sent), that trusts `peers` fully; its inbox is `http://localhost:{port}/inbox`.
pub async fn serving_node(
    url: String,
    dir: &std::path::Path,
    peers: &[Peer],
) -> (cohort::Node, u16) {
    let port = crate::free_port().await;
    let mut config = cohort::config::Config::default();
    config.instance.domain = format!("localhost:{port}");
    config.server.listen = format!("127.0.0.1:{port}");
    config.database.url = url;
    config.storage.data_dir = dir.to_path_buf();
    config.federation.debug = true;
    config.federation.peers = peers
        .iter()
        .map(|p| {
            let level = cohort::domain::policy::PeerLevel::Full;
            (format!("localhost:{}", p.server.port), level)
        })
        .collect();
    let (node, _) = cohort::Node::build(config.clone()).await.expect("node");
    let app = axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<
        std::net::SocketAddr,
    >(node.router());
    let listener = tokio::net::TcpListener::bind(&config.server.listen)
        .await
        .expect("bind");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (node, port)
}

/// POSTs each signed activity to `inbox` one after another; each must be answered `expected`.
pub async fn post_expecting(inbox: &str, signed: Vec<Signed>, expected: u16) {
    let client = reqwest::Client::new();
    for s in signed {
        let mut req = client.post(inbox).body(s.body);
        for (k, v) in &s.headers {
            req = req.header(k, v);
        }
        let res = req.send().await.expect("send");
        let status = res.status().as_u16();
        assert_eq!(status, expected, "{}", res.text().await.unwrap_or_default());
    }
}
