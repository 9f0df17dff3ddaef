//! One open stream connection: who it is for, what it is subscribed to, and each event rendered
//! as that subscriber would see it through the REST API (the same views).

use crate::{
    api::{entities::Account, views},
    db::{self, actors::ActorRow, posts::PostRow, DbConnection, DbResult},
    service::{
        events::Event,
        streams::{self, Item, Stream},
    },
    state::AppState,
};
use serde::Serialize;

/// A subscriber and its streams.
#[derive(Clone)]
pub struct Session {
    pub me: Option<ActorRow>,
    pub streams: Vec<Stream>,
}

/// One message to the subscriber, in Mastodon's shape: `payload` is a JSON text (the entity), or
/// the bare status id for `delete`.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub stream: Vec<String>,
    pub event: &'static str,
    pub payload: String,
}

/// The `conversation` entity a direct post is streamed as.
#[derive(Serialize)]
struct Conversation {
    id: String,
    unread: bool,
    accounts: Vec<Account>,
    last_status: crate::api::entities::Status,
}

impl Session {
    /// Adds a stream (again adding one already there changes nothing).
    pub fn subscribe(&mut self, stream: Stream) {
        if !self.streams.contains(&stream) {
            self.streams.push(stream);
        }
    }

    /// Removes a stream.
    pub fn unsubscribe(&mut self, stream: &Stream) {
        self.streams.retain(|s| s != stream);
    }

    /// The messages `event` brings this subscriber (none when the audience rule hides it).
    pub async fn messages(&self, state: &AppState, event: Event) -> Vec<Message> {
        if self.streams.is_empty() {
            return vec![];
        }
        let (session, base) = (self.clone(), state.config.base_url());
        let rendered = state
            .db
            .run(move |c| session.render(c, &event, &base))
            .await;
        rendered.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "live event not rendered");
            vec![]
        })
    }

    fn render(&self, c: &mut DbConnection, event: &Event, base: &str) -> DbResult<Vec<Message>> {
        let me = self.me.as_ref();
        let routed = streams::route(c, me.map(|m| m.id.as_str()), &self.streams, event)?;
        let mut out = Vec::new();
        for (i, item) in routed {
            let (event, payload) = match item {
                Item::Update(p) => ("update", json(&views::status(c, &p, me, base)?)),
                Item::StatusUpdate(p) => ("status.update", json(&views::status(c, &p, me, base)?)),
                Item::Delete(id) => ("delete", id),
                Item::Notification(n) => {
                    let Some(me) = me else { continue };
                    match views::notification(c, &n, me, base)? {
                        Some(entity) => ("notification", json(&entity)),
                        None => continue,
                    }
                }
                Item::Conversation(p) => ("conversation", json(&conversation(c, &p, me, base)?)),
            };
            out.push(Message {
                stream: self.streams[i].names(),
                event,
                payload,
            });
        }
        Ok(out)
    }
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// A direct post as the conversation it continues: its other participants and the post. Until
/// conversations are stored, a conversation is named by its newest post.
fn conversation(
    c: &mut DbConnection,
    post: &PostRow,
    me: Option<&ActorRow>,
    base: &str,
) -> DbResult<Conversation> {
    let me_id = me.map(|m| m.id.clone()).unwrap_or_default();
    let mut people = db::tags::mentions_of(c, &post.id)?;
    if let Some(author) = db::actors::by_id(c, &post.author_id)? {
        people.insert(0, author);
    }
    people.retain(|a| a.id != me_id);
    let mut accounts = Vec::new();
    for a in &people {
        accounts.push(views::account(c, a, base)?);
    }
    Ok(Conversation {
        id: post.id.clone(),
        unread: post.author_id != me_id,
        accounts,
        last_status: views::status(c, post, me, base)?,
    })
}
