//! How each reader of the privacy matrix relates to each piece of content, from the follows and
//! joins that `matrix_world` actually established.

use crate::{
    matrix::{Content, Kind, Rel},
    matrix_world::World,
    TestNode,
};

/// A post of the matrix as published.
pub struct Published {
    pub content: Content,
    /// A's local id (client API of A); `None` when A does not have the post.
    pub id: Option<String>,
    /// The post's URL (`/posts/{id}` on its author's node).
    pub ap_id: String,
    /// The URL of the `Create` that carried it (A's own posts only).
    pub create_id: Option<String>,
}

impl Published {
    /// Written on A (so A serves it as its own).
    pub fn local(&self) -> bool {
        self.content.author == "author"
    }
}

/// Local readers of A (and the anonymous visitor).
pub const LOCAL_READERS: [&str; 5] = ["anonymous", "stranger", "fan", "member", "mentioned"];
/// Peer nodes reading from A.
pub const PEERS: [&str; 5] = ["B", "C", "D", "E", "F"];
/// Remote accounts and their nodes.
pub const REMOTE_USERS: [(&str, &str); 7] = [
    ("b_follower", "B"),
    ("b_member", "B"),
    ("b_mentioned", "B"),
    ("c_user", "C"),
    ("d_user", "D"),
    ("e_user", "E"),
    ("f_user", "F"),
];

/// Does `user` follow the content's author (accepted)? Nobody follows B's member.
fn follows_author(w: &World, user: &'static str, c: &Content) -> bool {
    c.author == "author" && w.follows(user)
}

fn member(w: &World, user: &'static str, c: &Content) -> bool {
    c.group.as_ref().is_some_and(|g| w.is_member(user, &g.name))
}

/// A local reader of A (or the anonymous visitor) and its relations to `c`.
pub fn local_rel(w: &World, reader: &'static str, c: &Content) -> (Kind, Rel) {
    let none = Rel::default();
    match reader {
        "anonymous" => (Kind::Anonymous, none),
        "fan" => (
            Kind::Local,
            Rel {
                follower: follows_author(w, "fan", c),
                ..none
            },
        ),
        "member" => (
            Kind::Local,
            Rel {
                member: member(w, "member", c),
                ..none
            },
        ),
        "mentioned" => (
            Kind::Local,
            Rel {
                addressee: c.addressed,
                ..none
            },
        ),
        _ => (Kind::Local, none),
    }
}

/// A peer node as a reader (at the level A gives it): what it hosts.
pub fn peer_rel(w: &World, peer: &str, c: &Content) -> (Kind, Rel) {
    let none = Rel::default();
    match peer {
        "B" => (
            Kind::Full,
            Rel {
                author: c.author == "b_member",
                follower: follows_author(w, "b_follower", c),
                member: member(w, "b_member", c),
                addressee: c.addressed,
            },
        ),
        "C" => (
            Kind::Full,
            Rel {
                follower: follows_author(w, "c_user", c),
                ..none
            },
        ),
        "D" => (
            Kind::Limited,
            Rel {
                follower: follows_author(w, "d_user", c),
                addressee: c.addressed,
                ..none
            },
        ),
        "F" => (Kind::Full, none),
        _ => (
            Kind::Blocked,
            Rel {
                follower: follows_author(w, "e_user", c),
                addressee: c.addressed,
                ..none
            },
        ),
    }
}

/// A remote account as a reader on its own node: its own relations to `c` (the node's copy must
/// not show it more than the rule shows it to that account).
pub fn user_rel(w: &World, user: &'static str, c: &Content) -> Rel {
    Rel {
        author: c.author == user,
        follower: follows_author(w, user, c),
        member: member(w, user, c),
        addressee: addressed(user, c),
    }
}

fn addressed(user: &str, c: &Content) -> bool {
    c.addressed && matches!(user, "mentioned" | "b_mentioned" | "d_user" | "e_user")
}

/// Is `user` owed the content: a subscriber (the group's member, else the author's follower) or
/// an addressee?
pub fn owed(w: &World, user: &'static str, c: &Content) -> bool {
    let subscribed = match &c.group {
        Some(g) => w.is_member(user, &g.name),
        None => follows_author(w, user, c),
    };
    subscribed || addressed(user, c)
}

/// The peer node by its letter.
pub fn node<'a>(w: &'a World, name: &str) -> &'a TestNode {
    match name {
        "B" => &w.b,
        "C" => &w.c,
        "D" => &w.d,
        "E" => &w.e,
        _ => &w.f,
    }
}
