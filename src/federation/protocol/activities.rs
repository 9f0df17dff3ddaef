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
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawActivity {
    pub id: Url,
    pub actor: Url,
    #[serde(rename = "type")]
    pub kind: Verb,
    #[serde(flatten)]
    pub rest: serde_json::Map<String, Value>,
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
