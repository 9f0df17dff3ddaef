//! The URLs this node mints. Every id of a local object comes from here, so the scheme stays in one place.

use crate::config::Config;

/// URL builder bound to one node's base URL.
#[derive(Debug, Clone)]
pub struct Urls {
    base: String,
}

impl Urls {
    /// URLs for the node described by `config`.
    pub fn new(config: &Config) -> Urls {
        Urls {
            base: config.base_url(),
        }
    }

    /// `https://host`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The Organization (instance) actor.
    pub fn organization(&self) -> String {
        format!("{}/actor", self.base)
    }

    /// A member's actor id.
    pub fn person(&self, name: &str) -> String {
        format!("{}/users/{name}", self.base)
    }

    /// A group's actor id.
    pub fn group(&self, name: &str) -> String {
        format!("{}/groups/{name}", self.base)
    }

    /// The actor id for a local actor of `kind`.
    pub fn actor(&self, kind: &str, name: &str) -> String {
        match kind {
            "Group" => self.group(name),
            "Organization" => self.organization(),
            _ => self.person(name),
        }
    }

    /// The shared inbox.
    pub fn shared_inbox(&self) -> String {
        format!("{}/inbox", self.base)
    }

    /// A post.
    pub fn post(&self, id: &str) -> String {
        format!("{}/posts/{id}", self.base)
    }

    /// A hashtag's page (`name` without `#`).
    pub fn tag(&self, name: &str) -> String {
        tag_url(&self.base, name)
    }

    /// An activity.
    pub fn activity(&self, id: &str) -> String {
        format!("{}/activities/{id}", self.base)
    }

    /// Cohort's JSON-LD context document.
    pub fn context(&self) -> String {
        format!("{}/ns/cohort", self.base)
    }
}

/// `actor/inbox` and friends: sub-resources of an actor id.
pub fn sub(actor_ap_id: &str, what: &str) -> String {
    format!("{actor_ap_id}/{what}")
}

/// The HTTP-signature key id of an actor.
pub fn main_key(actor_ap_id: &str) -> String {
    format!("{actor_ap_id}#main-key")
}

/// The FEP-521a Ed25519 Multikey id of an actor.
pub fn ed25519_key(actor_ap_id: &str) -> String {
    format!("{actor_ap_id}#ed25519-key")
}

/// The page of hashtag `name` (without `#`) on the node at `base`.
pub fn tag_url(base: &str, name: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes()).collect();
    format!("{base}/tags/{encoded}")
}
