//! The streams of the Mastodon streaming API, and which of a subscriber's streams an event
//! reaches. An event reaches a stream only when the audience rule (`visibility::Sight`) lets the
//! subscriber see the post, exactly as the REST reads of the same timeline would show it: the
//! home stream follows the home timeline's sources, the public and hashtag streams show what the
//! public timelines list.
//!
//! Uses `db` and `domain` (through `visibility`) only; `api::streaming` renders what is routed.

mod route;
#[cfg(test)]
mod tests;

pub use route::{route, Item, Routed};

use crate::{db, state::AppState};

/// One stream a subscriber asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stream {
    /// The home timeline and the member's notifications.
    User,
    /// The member's notifications only.
    UserNotification,
    /// Listed public posts: all (`local: None`), local or remote only; with media only.
    Public { local: Option<bool>, media: bool },
    /// Listed public posts with a hashtag (lowercase), optionally local only.
    Hashtag { tag: String, local: bool },
    /// One of the member's lists, by id: posts by its accounts and in its groups.
    List(String),
    /// The member's direct posts.
    Direct,
}

/// Why a stream cannot be opened, in Mastodon's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    #[error("Unknown stream type")]
    Unknown,
    #[error("Missing access token")]
    NeedsToken,
    #[error("No valid tag was given")]
    NoTag,
    #[error("No such list")]
    NoList,
}

impl Stream {
    /// The stream a client names (`stream=hashtag&tag=x`); `signed_in` when a member's token
    /// came with the request.
    pub fn parse(
        name: &str,
        tag: Option<&str>,
        list: Option<&str>,
        signed_in: bool,
    ) -> Result<Stream, StreamError> {
        let public = |local, media| Stream::Public { local, media };
        let stream = match name {
            "user" => Stream::User,
            "user:notification" => Stream::UserNotification,
            "public" => public(None, false),
            "public:local" => public(Some(true), false),
            "public:remote" => public(Some(false), false),
            "public:media" => public(None, true),
            "public:local:media" => public(Some(true), true),
            "public:remote:media" => public(Some(false), true),
            "hashtag" | "hashtag:local" => {
                let tag = tag
                    .map(|t| t.trim_start_matches('#').to_lowercase())
                    .filter(|t| !t.is_empty())
                    .ok_or(StreamError::NoTag)?;
                Stream::Hashtag {
                    tag,
                    local: name == "hashtag:local",
                }
            }
            "list" => Stream::List(list.ok_or(StreamError::NoList)?.to_string()),
            "direct" => Stream::Direct,
            _ => return Err(StreamError::Unknown),
        };
        if stream.needs_member() && !signed_in {
            return Err(StreamError::NeedsToken);
        }
        Ok(stream)
    }

    /// The stream if `me` may open it: a list stream only for one of the member's own lists
    /// (another member's list is refused as a missing one).
    pub async fn admit(self, state: &AppState, me: Option<String>) -> Result<Stream, StreamError> {
        let Stream::List(id) = &self else {
            return Ok(self);
        };
        let (id, me) = (id.clone(), me.ok_or(StreamError::NeedsToken)?);
        match state.db.run(move |c| db::lists::get(c, &me, &id)).await {
            Ok(Some(_)) => Ok(self),
            Ok(None) => Err(StreamError::NoList),
            Err(e) => {
                tracing::warn!(error = %e, "list stream not checked");
                Err(StreamError::NoList)
            }
        }
    }

    /// Whether only a signed-in member may open it.
    pub fn needs_member(&self) -> bool {
        matches!(
            self,
            Stream::User | Stream::UserNotification | Stream::List(_) | Stream::Direct
        )
    }

    /// How messages name the stream (`["hashtag", "tag"]`, `["user"]`).
    pub fn names(&self) -> Vec<String> {
        let first = match self {
            Stream::User => "user",
            Stream::UserNotification => "user:notification",
            Stream::Public { local, media } => match (local, media) {
                (None, false) => "public",
                (Some(true), false) => "public:local",
                (Some(false), false) => "public:remote",
                (None, true) => "public:media",
                (Some(true), true) => "public:local:media",
                (Some(false), true) => "public:remote:media",
            },
            Stream::Hashtag { local: false, .. } => "hashtag",
            Stream::Hashtag { local: true, .. } => "hashtag:local",
            Stream::List(_) => "list",
            Stream::Direct => "direct",
        };
        let mut names = vec![first.to_string()];
        match self {
            Stream::Hashtag { tag, .. } => names.push(tag.clone()),
            Stream::List(id) => names.push(id.clone()),
            _ => {}
        }
        names
    }
}
