//! Wire types: ActivityPub JSON as it travels. Lenient on input (real servers differ), exact on output.
//!
//! These are not storage rows; `objects/` converts between the two.

pub mod activities;
pub mod actor;
pub mod note;
pub mod proposal;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use url::Url;

/// Accepts one URL, a list of URLs, or objects with an `id`; keeps the URLs.
pub fn urls<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Url>, D::Error> {
    let v = Option::<Value>::deserialize(d)?.unwrap_or(Value::Null);
    Ok(urls_of(&v))
}

/// Writes one URL as a string and several as an array: Lemmy reads a post's `attributedTo` only
/// as a single actor id.
pub fn one_or_many_urls<S: serde::Serializer>(urls: &[Url], s: S) -> Result<S::Ok, S::Error> {
    match urls {
        [one] => one.serialize(s),
        many => many.serialize(s),
    }
}

/// The URLs in a JSON value that may be a string, an object with `id`, or an array of those.
pub fn urls_of(v: &Value) -> Vec<Url> {
    match v {
        Value::String(s) => Url::parse(s).into_iter().collect(),
        Value::Object(o) => o
            .get("id")
            .and_then(Value::as_str)
            .and_then(|s| Url::parse(s).ok())
            .into_iter()
            .collect(),
        Value::Array(items) => items.iter().flat_map(urls_of).collect(),
        _ => vec![],
    }
}

/// The id of a JSON value that is either a URL string or an object with an `id`.
pub fn id_of(v: &Value) -> Option<Url> {
    match v {
        Value::String(s) => Url::parse(s).ok(),
        Value::Object(o) => o
            .get("id")
            .and_then(Value::as_str)
            .and_then(|s| Url::parse(s).ok()),
        _ => None,
    }
}

/// The `type` of an embedded object, if it is one.
pub fn type_of(v: &Value) -> Option<&str> {
    v.get("type").and_then(|t| match t {
        Value::String(s) => Some(s.as_str()),
        Value::Array(a) => a.first().and_then(Value::as_str),
        _ => None,
    })
}

/// A JSON-LD language map or plain string, as `content`/`name` may be sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TextOrMap {
    Text(String),
    Map(serde_json::Map<String, Value>),
}

impl TextOrMap {
    /// The text, picking any language from a map.
    pub fn text(&self) -> Option<String> {
        match self {
            TextOrMap::Text(s) => Some(s.clone()),
            TextOrMap::Map(m) => m.values().find_map(|v| v.as_str().map(String::from)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn url_shapes() {
        assert_eq!(urls_of(&json!("https://a.example/x")).len(), 1);
        assert_eq!(
            urls_of(&json!(["https://a.example/x", {"id": "https://b.example/y"}, 3])).len(),
            2
        );
        assert!(urls_of(&json!(null)).is_empty());
        assert_eq!(
            id_of(&json!({"id": "https://a.example/1"}))
                .unwrap()
                .as_str(),
            "https://a.example/1"
        );
    }
}
