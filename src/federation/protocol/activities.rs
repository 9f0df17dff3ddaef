//! Activity envelopes. Inbound activities are first read as [`RawActivity`] (id, actor, type and the
//! untouched JSON), then each verb's handler reads the fields it needs.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// Any activity: the fields every verb has, plus the whole document as received.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawActivity {
    pub id: Url,
    pub actor: Url,
    #[serde(rename = "type")]
    pub kind: String,
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
        map.insert("type".into(), Value::String(self.kind.clone()));
        Value::Object(map)
    }
}
