//! Activity envelopes. Inbound activities are first read as [`RawActivity`] (id, actor, type and the
//! untouched JSON), then each verb's handler reads the fields it needs.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// The verbs this node acts on; anything else is `Other` (accepted and ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Verb {
    Follow,
    Accept,
    Reject,
    Undo,
    Create,
    Update,
    Delete,
    Announce,
    Like,
    Add,
    Remove,
    Block,
    Flag,
    Other(String),
}

impl From<String> for Verb {
    fn from(s: String) -> Verb {
        match s.as_str() {
            "Follow" => Verb::Follow,
            "Accept" => Verb::Accept,
            "Reject" => Verb::Reject,
            "Undo" => Verb::Undo,
            "Create" => Verb::Create,
            "Update" => Verb::Update,
            "Delete" => Verb::Delete,
            "Announce" => Verb::Announce,
            "Like" => Verb::Like,
            "Add" => Verb::Add,
            "Remove" => Verb::Remove,
            "Block" => Verb::Block,
            "Flag" => Verb::Flag,
            _ => Verb::Other(s),
        }
    }
}

impl Verb {
    /// The ActivityStreams type name.
    pub fn as_str(&self) -> &str {
        match self {
            Verb::Follow => "Follow",
            Verb::Accept => "Accept",
            Verb::Reject => "Reject",
            Verb::Undo => "Undo",
            Verb::Create => "Create",
            Verb::Update => "Update",
            Verb::Delete => "Delete",
            Verb::Announce => "Announce",
            Verb::Like => "Like",
            Verb::Add => "Add",
            Verb::Remove => "Remove",
            Verb::Block => "Block",
            Verb::Flag => "Flag",
            Verb::Other(s) => s,
        }
    }
}

impl From<Verb> for String {
    fn from(v: Verb) -> String {
        v.as_str().to_string()
    }
}

/// Any activity: the fields every verb has, plus the whole document as received.
#[derive(Debug, Clone, Serialize)]
pub struct RawActivity {
    pub id: Url,
    pub actor: Url,
    #[serde(rename = "type")]
    pub kind: Verb,
    #[serde(flatten)]
    pub rest: serde_json::Map<String, Value>,
}

impl<'de> Deserialize<'de> for RawActivity {
    /// Reads the document as one JSON object and takes `id`, `actor` and `type` out of it (a
    /// flattened field would make serde buffer the whole document and read it a second time).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RawActivity, D::Error> {
        use serde::de::Error;
        let mut rest = serde_json::Map::<String, Value>::deserialize(d)?;
        let mut take = |name: &'static str| {
            rest.remove(name)
                .ok_or_else(|| D::Error::missing_field(name))
        };
        let id = Url::deserialize(take("id")?).map_err(D::Error::custom)?;
        let actor = Url::deserialize(take("actor")?).map_err(D::Error::custom)?;
        let kind = Verb::deserialize(take("type")?).map_err(D::Error::custom)?;
        Ok(RawActivity {
            id,
            actor,
            kind,
            rest,
        })
    }
}

impl RawActivity {
    /// The `object` field (a URL string or an embedded object), `Null` when absent.
    pub fn object(&self) -> &Value {
        self.rest.get("object").unwrap_or(&Value::Null)
    }

    /// The full JSON document, as it was received.
    pub fn to_value(&self) -> Value {
        let mut map = self.rest.clone();
        map.insert("id".into(), Value::String(self.id.to_string()));
        map.insert("actor".into(), Value::String(self.actor.to_string()));
        map.insert("type".into(), Value::String(self.kind.as_str().into()));
        Value::Object(map)
    }
}

#[cfg(test)]
mod tests {
    use super::{RawActivity, Verb};
    use serde_json::json;

    #[test]
    fn an_activity_keeps_its_whole_document() {
        let doc = json!({"@context": "https://www.w3.org/ns/activitystreams",
            "id": "https://a.example/acts/1", "type": "Create", "actor": "https://a.example/u/ada",
            "to": ["https://b.example/g/wg"], "object": {"id": "https://a.example/notes/1", "type": "Note"}});
        let raw: RawActivity = serde_json::from_slice(doc.to_string().as_bytes()).unwrap();
        assert_eq!(raw.id.as_str(), "https://a.example/acts/1");
        assert_eq!(raw.actor.as_str(), "https://a.example/u/ada");
        assert_eq!(raw.kind, Verb::Create);
        assert_eq!(raw.object()["type"], "Note");
        for taken in ["id", "actor", "type"] {
            assert!(
                !raw.rest.contains_key(taken),
                "{taken} is a field, not in the rest"
            );
        }
        assert_eq!(raw.to_value(), doc);
        let again: RawActivity =
            serde_json::from_value(serde_json::to_value(&raw).unwrap()).unwrap();
        assert_eq!(again.to_value(), doc);
        let other: RawActivity = serde_json::from_value(
            json!({"id": "https://a.example/x", "type": "Move", "actor": "https://a.example/u"}),
        )
        .unwrap();
        assert_eq!(other.kind, Verb::Other("Move".into()));
    }

    #[test]
    fn a_malformed_activity_is_refused_with_the_reason() {
        let err = |v: serde_json::Value| {
            serde_json::from_value::<RawActivity>(v)
                .expect_err("refused")
                .to_string()
        };
        let (id, actor) = ("https://a.example/acts/1", "https://a.example/u/ada");
        assert!(err(json!({"type": "Like", "actor": actor})).contains("missing field `id`"));
        assert!(err(json!({"id": id, "type": "Like"})).contains("missing field `actor`"));
        assert!(err(json!({"id": id, "actor": actor})).contains("missing field `type`"));
        assert!(
            err(json!({"id": "not a url", "type": "Like", "actor": actor}))
                .contains("relative URL")
        );
        assert!(err(json!({"id": id, "type": "Like", "actor": {"id": actor}})).contains("string"));
        assert!(err(json!({"id": id, "type": 7, "actor": actor})).contains("string"));
        assert!(err(json!(["not", "an", "object"])).contains("map"));
    }
}
