//! One open stream connection: who it is for, what it is subscribed to, and each event rendered
//! as that subscriber would see it through the REST API (the same views).

use crate::{
    api::{self, views},
    db::{actors::ActorRow, posts::PostRow, DbConnection, DbResult},
    domain::filter::FilterContext,
    service::{
        conversations,
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
            let context = match &self.streams[i] {
                Stream::Public { .. } | Stream::Hashtag { .. } => FilterContext::Public,
                _ => FilterContext::Home,
            };
            let (event, payload) = match item {
                Item::Update(p) => match screened(c, &p, me, base, context)? {
                    Some(status) => ("update", json(&status)),
                    None => continue,
                },
                Item::StatusUpdate(p) => match screened(c, &p, me, base, context)? {
                    Some(status) => ("status.update", json(&status)),
                    None => continue,
                },
                Item::Delete(id) => ("delete", id),
                Item::Notification(n) => {
                    let Some(me) = me else { continue };
                    match views::notification(c, &n, me, base)? {
                        Some(entity) => ("notification", json(&entity)),
                        None => continue,
                    }
                }
                Item::Conversation(p) => {
                    let Some(me) = me else { continue };
                    match conversations::of_post(c, &me.id, &p)? {
                        Some(seen) => (
                            "conversation",
                            json(&api::conversations::entity(c, &seen, me, base)?),
                        ),
                        None => continue,
                    }
                }
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

/// A post as the subscriber's filters for the stream's context leave it (none when hidden).
fn screened(
    c: &mut DbConnection,
    post: &PostRow,
    me: Option<&ActorRow>,
    base: &str,
    context: FilterContext,
) -> DbResult<Option<crate::api::entities::Status>> {
    Ok(views::screened(c, std::slice::from_ref(post), me, base, context)?.pop())
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}
