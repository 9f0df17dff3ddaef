//! The privacy matrix's world: five nodes, their accounts, A's groups, and the follows and joins
//! made through the client API. The relations actually established are recorded (and checked as
//! `setup` cells), and the expectations use them.

use crate::{
    api::Api,
    cohort_calls as lib, database_url, free_port,
    matrix::{Expect, GroupSpec, GroupVis},
    matrix_report::Matrix,
    Store, TestNode,
};
use cohort::domain::policy::PeerLevel;
use std::{collections::BTreeMap, time::Duration};

pub const PASSWORD: &str = "matrix password 1";

/// Six nodes: A (origin), B (full peer with followers, members, an addressee), C (full peer with a
/// follower of the author, no group members), D (limited), E (blocked after its user followed),
/// F (full peer hosting no one related to anything: the plain consortium reader).
pub struct World {
    pub a: TestNode,
    pub b: TestNode,
    pub c: TestNode,
    pub d: TestNode,
    pub e: TestNode,
    pub f: TestNode,
    /// Sessions by name: `author stranger fan member mentioned` on A, `b_follower b_member
    /// b_mentioned` on B, `c_user`, `d_user`, `e_user`.
    pub users: BTreeMap<&'static str, Api>,
    pub groups: Vec<GroupSpec>,
    /// Accepted follows of the author, by follower name.
    pub follows_author: BTreeMap<&'static str, bool>,
    /// Accepted joins: (member name, group name).
    pub joined: BTreeMap<(&'static str, String), bool>,
}

pub const LOCAL_USERS: [&str; 5] = ["author", "stranger", "fan", "member", "mentioned"];

impl World {
    pub fn user(&self, name: &str) -> &Api {
        &self.users[name]
    }

    /// `name@domain` of an account on `n`.
    pub fn acct(n: &TestNode, name: &str) -> String {
        format!("{name}@{}", n.domain)
    }

    /// The mentions every addressed post carries.
    pub fn addressees(&self) -> String {
        format!(
            "@{} @{} @{} @{}",
            World::acct(&self.a, "mentioned"),
            World::acct(&self.b, "b_mentioned"),
            World::acct(&self.d, "d_user"),
            World::acct(&self.e, "e_user")
        )
    }

    pub fn is_member(&self, user: &'static str, group: &str) -> bool {
        self.joined
            .get(&(user, group.to_string()))
            .copied()
            .unwrap_or(false)
    }

    pub fn follows(&self, user: &'static str) -> bool {
        self.follows_author.get(user).copied().unwrap_or(false)
    }
}

async fn node(
    store: Store,
    name: &str,
    port: u16,
    peers: BTreeMap<String, PeerLevel>,
) -> Option<TestNode> {
    let dir = tempfile::tempdir().expect("dir");
    let url = database_url(store, dir.path(), &format!("matrix{name}"))?;
    Some(TestNode::start(name, port, url, dir, peers).await)
}

/// The groups of A: every visibility, and an approval-required (public) one.
pub fn group_specs() -> Vec<GroupSpec> {
    let g = |name: &str, vis, approval| GroupSpec {
        name: name.into(),
        vis,
        approval,
    };
    vec![
        g("g_public", GroupVis::Public, false),
        g("g_consortium", GroupVis::Consortium, false),
        g("g_members", GroupVis::Members, false),
        g("g_local", GroupVis::Local, false),
        g("g_approval", GroupVis::Public, true),
    ]
}

fn lib_vis(v: GroupVis) -> &'static str {
    match v {
        GroupVis::Public => "public",
        GroupVis::Consortium => "consortium",
        GroupVis::Members => "members",
        GroupVis::Local => "local",
    }
}

/// Polls until `who` follows the account with this node's id `id` (accepted), or 30 s pass.
async fn accepted(who: &Api, id: &str) -> bool {
    for _ in 0..300 {
        if who.relationship(id).await.0 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// Builds the world, or `None` when PostgreSQL is unavailable outside CI (skipped loudly).
pub async fn build(store: Store, m: &mut Matrix) -> Option<World> {
    let ports = [
        free_port().await,
        free_port().await,
        free_port().await,
        free_port().await,
        free_port().await,
        free_port().await,
    ];
    let dom = |i: usize| format!("localhost:{}", ports[i]);
    let a_peers: BTreeMap<String, PeerLevel> = [
        (dom(1), PeerLevel::Full),
        (dom(2), PeerLevel::Full),
        (dom(3), PeerLevel::Limited),
        // E is full until its user has followed the author, then blocked.
        (dom(4), PeerLevel::Full),
        (dom(5), PeerLevel::Full),
    ]
    .into();
    let only_a: BTreeMap<String, PeerLevel> = [(dom(0), PeerLevel::Full)].into();
    let a = node(store, "A", ports[0], a_peers).await?;
    let b = node(store, "B", ports[1], only_a.clone()).await?;
    let c = node(store, "C", ports[2], only_a.clone()).await?;
    let d = node(store, "D", ports[3], only_a.clone()).await?;
    let e = node(store, "E", ports[4], only_a.clone()).await?;
    let f = node(store, "F", ports[5], only_a).await?;

    let accounts: [(&TestNode, &[&'static str]); 6] = [
        (&a, &LOCAL_USERS),
        (&b, &["b_follower", "b_member", "b_mentioned"]),
        (&c, &["c_user"]),
        (&d, &["d_user"]),
        (&e, &["e_user"]),
        (&f, &["f_user"]),
    ];
    let mut users = BTreeMap::new();
    for (n, names) in accounts {
        for name in names {
            lib::create_user(n, name, PASSWORD).await;
            users.insert(*name, Api::login(&n.base(), name, PASSWORD).await);
        }
    }
    let groups = group_specs();
    for g in &groups {
        lib::create_group(
            &a,
            &g.name,
            lib::visibility(lib_vis(g.vis)),
            g.approval,
            "author",
        )
        .await;
    }

    // Follows of the author, and joins, all through the client API of the follower's node.
    let author = World::acct(&a, "author");
    let mut wanted: Vec<(&'static str, String, bool)> =
        ["fan", "b_follower", "c_user", "d_user", "e_user"]
            .into_iter()
            .map(|u| (u, author.clone(), true))
            .collect();
    for g in &groups {
        let acct = World::acct(&a, &g.name);
        wanted.push(("member", acct.clone(), true));
        // A local group never leaves A: B cannot even see it to join.
        wanted.push(("b_member", acct, g.vis != GroupVis::Local));
    }
    let mut ids = Vec::new();
    for (who, target, _) in &wanted {
        ids.push(users[who].follow(target).await);
    }
    // Approval-required joins wait for the group's moderator.
    let approval = groups.iter().find(|g| g.approval).map(|g| g.name.clone());
    if let Some(g) = approval {
        let mut approved = 0;
        for _ in 0..100 {
            approved += lib::approve_all(&a, &g).await;
            if approved >= 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let mut follows_author = BTreeMap::new();
    let mut joined = BTreeMap::new();
    for ((who, target, expect), id) in wanted.iter().zip(ids) {
        let (ok, note) = match id {
            Ok(id) => (accepted(&users[who], &id).await, String::new()),
            Err(e) => (false, e),
        };
        m.note(
            "setup",
            &format!("follow {}", target.split('@').next().unwrap_or("")),
            who,
            Expect::of(*expect),
            ok,
            &note,
        );
        if *target == author {
            follows_author.insert(*who, ok);
        } else {
            let g = target.split('@').next().unwrap_or_default().to_string();
            joined.insert((*who, g), ok);
        }
    }
    // Now that E's user follows the author, A blocks E.
    lib::set_peer_level(&a, &e.domain, PeerLevel::Blocked).await;
    Some(World {
        a,
        b,
        c,
        d,
        e,
        f,
        users,
        groups,
        follows_author,
        joined,
    })
}
