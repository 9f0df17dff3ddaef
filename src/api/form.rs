//! Request bodies as Mastodon clients send them: JSON, `application/x-www-form-urlencoded` or
//! `multipart/form-data` (plus query parameters), with Rails-style nesting (`poll[options][]=a`).
//! Unknown parameters are ignored; form values are strings, so numeric and boolean fields use the
//! deserializers in [`de`], which take the spellings clients send and refuse anything else.

use crate::error::AppError;
use axum::{
    body::Bytes,
    extract::{FromRequest, Multipart, Request},
    http::header,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A request body in any of the encodings clients use.
pub struct Flex<T>(pub T);

/// A request body like [`Flex`], plus the files of a multipart body by field name (profile
/// images, say).
pub struct FlexWithFiles<T> {
    pub form: T,
    pub files: std::collections::BTreeMap<String, Vec<u8>>,
}

impl<S, T> FromRequest<S> for Flex<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let (value, _) = parse(req, state, false).await?;
        serde_json::from_value(value)
            .map(Flex)
            .map_err(|e| AppError::Unprocessable(format!("invalid parameters: {e}")))
    }
}

impl<S, T> FromRequest<S> for FlexWithFiles<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let (value, files) = parse(req, state, true).await?;
        let form = serde_json::from_value(value)
            .map_err(|e| AppError::Unprocessable(format!("invalid parameters: {e}")))?;
        Ok(FlexWithFiles { form, files })
    }
}

/// The parameters of a request (query and body) as nested JSON, and, when `keep_files`, the files
/// of a multipart body.
async fn parse<S: Send + Sync>(
    req: Request,
    state: &S,
    keep_files: bool,
) -> Result<(Value, std::collections::BTreeMap<String, Vec<u8>>), AppError> {
    let mut files = std::collections::BTreeMap::new();
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let query = req.uri().query().unwrap_or("").to_string();
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let value = if content_type.starts_with("application/json") {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::BadRequest("unreadable body".into()))?;
        let mut body: Value = if bytes.is_empty() {
            Value::Object(Map::new())
        } else {
            serde_json::from_slice(&bytes)
                .map_err(|e| AppError::BadRequest(format!("malformed JSON: {e}")))?
        };
        if let Value::Object(map) = &mut body {
            let from_query = nest(pairs);
            if let Value::Object(q) = from_query {
                for (k, v) in q {
                    map.entry(k).or_insert(v);
                }
            }
        }
        body
    } else if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(req, state)
            .await
            .map_err(|e| AppError::BadRequest(format!("malformed multipart body: {e}")))?;
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| AppError::BadRequest(format!("malformed multipart body: {e}")))?
        {
            let Some(name) = field.name().map(String::from) else {
                continue;
            };
            if field.file_name().is_some() {
                if keep_files {
                    let bytes = field.bytes().await.map_err(|e| {
                        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                            AppError::PayloadTooLarge
                        } else {
                            AppError::BadRequest(format!("malformed multipart file: {e}"))
                        }
                    })?;
                    files.insert(name, bytes.to_vec());
                }
                continue;
            }
            let text = field
                .text()
                .await
                .map_err(|e| AppError::BadRequest(format!("malformed multipart field: {e}")))?;
            pairs.push((name, text));
        }
        nest(pairs)
    } else {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::BadRequest("unreadable body".into()))?;
        pairs.extend(url::form_urlencoded::parse(&bytes).into_owned());
        nest(pairs)
    };
    Ok((value, files))
}

/// Builds nested JSON from `a[b][]=1` style pairs. A repeated plain key keeps its last value.
pub fn nest(pairs: Vec<(String, String)>) -> Value {
    let mut root = Value::Object(Map::new());
    for (key, value) in pairs {
        let mut segments: Vec<&str> = Vec::new();
        let (head, rest) = match key.find('[') {
            Some(i) => (&key[..i], &key[i..]),
            None => (key.as_str(), ""),
        };
        segments.push(head);
        for part in rest.split('[').skip(1) {
            segments.push(part.trim_end_matches(']'));
        }
        insert(&mut root, &segments, Value::String(value));
    }
    root
}

fn insert(node: &mut Value, segments: &[&str], value: Value) {
    let Some((first, rest)) = segments.split_first() else {
        *node = value;
        return;
    };
    if first.is_empty() {
        if !node.is_array() {
            *node = Value::Array(Vec::new());
        }
        if let Value::Array(items) = node {
            if rest.is_empty() {
                items.push(value);
            } else {
                let mut child = Value::Object(Map::new());
                insert(&mut child, rest, value);
                items.push(child);
            }
        }
        return;
    }
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    if let Value::Object(map) = node {
        let child = map.entry(first.to_string()).or_insert(Value::Null);
        insert(child, rest, value);
    }
}

/// A boolean parameter as Mastodon (Rails) reads it: `true`/`false`, `1`/`0`, and the strings
/// `true`, `t`, `1`, `on`, `yes` or `false`, `f`, `0`, `off`, `no` in any case. Absent, `null`
/// and the empty string are no value. Anything else is refused with a message naming it, so a
/// typo does not silently switch a setting.
pub fn boolean(v: &Value) -> Result<Option<bool>, String> {
    let refused = |what: &str| Err(format!("{what} is not true or false"));
    match v {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(0) => Ok(Some(false)),
            Some(1) => Ok(Some(true)),
            _ => refused(&n.to_string()),
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "true" | "t" | "1" | "on" | "yes" => Ok(Some(true)),
            "false" | "f" | "0" | "off" | "no" => Ok(Some(false)),
            _ => refused(&format!("{s:?}")),
        },
        Value::Array(_) | Value::Object(_) => refused("a list or an object"),
    }
}

/// [`boolean`] for a named parameter of a handler, refused as 422 naming the parameter.
pub fn named_boolean(name: &str, v: Option<&Value>) -> Result<Option<bool>, AppError> {
    boolean(v.unwrap_or(&Value::Null))
        .map_err(|e| AppError::Unprocessable(format!("invalid parameters: {name}: {e}")))
}

/// Whether a boolean query parameter is set, read as [`boolean`] reads it (absent is false; a
/// value that is no boolean is refused).
pub fn truthy(name: &str, v: &Option<String>) -> Result<bool, AppError> {
    let v = v.clone().map(Value::String);
    Ok(named_boolean(name, v.as_ref())?.unwrap_or(false))
}

/// Deserializers for values that arrive as strings from forms.
pub mod de {
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    /// A boolean parameter as [`super::boolean`] reads it; anything else is refused.
    pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        let v = Option::<Value>::deserialize(d)?;
        super::boolean(v.as_ref().unwrap_or(&Value::Null)).map_err(serde::de::Error::custom)
    }

    /// A number or a numeric string.
    pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        match Option::<Value>::deserialize(d)? {
            Some(Value::Number(n)) => Ok(n.as_i64()),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => s
                .parse()
                .map(Some)
                .map_err(|_| serde::de::Error::custom(format!("{s:?} is not a number"))),
            _ => Ok(None),
        }
    }

    /// One string or a list of strings.
    pub fn string_or_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        Ok(match Option::<Value>::deserialize(d)? {
            Some(Value::String(s)) => s.split_whitespace().map(String::from).collect(),
            Some(Value::Array(items)) => items
                .into_iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
        })
    }
}

/// Every value of a list parameter in a query string (`id[]=1&id[]=2`, or `id=1`).
pub fn query_list(query: Option<&str>, key: &str) -> Vec<String> {
    let bracketed = format!("{key}[]");
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(k, _)| k == key || *k == bracketed)
        .map(|(_, v)| v.into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rails_nesting() {
        let v = nest(vec![
            ("status".into(), "hi".into()),
            ("poll[options][]".into(), "a".into()),
            ("poll[options][]".into(), "b".into()),
            ("poll[expires_in]".into(), "60".into()),
            ("media_ids[]".into(), "1".into()),
        ]);
        assert_eq!(
            v,
            json!({"status": "hi", "poll": {"options": ["a", "b"], "expires_in": "60"}, "media_ids": ["1"]})
        );
    }

    #[test]
    fn booleans_as_rails_reads_them_and_nothing_else() {
        for (v, want) in [
            (json!(true), Some(true)),
            (json!(false), Some(false)),
            (json!(1), Some(true)),
            (json!(0), Some(false)),
            (json!("TRUE"), Some(true)),
            (json!("t"), Some(true)),
            (json!("on"), Some(true)),
            (json!(" yes "), Some(true)),
            (json!("False"), Some(false)),
            (json!("f"), Some(false)),
            (json!("0"), Some(false)),
            (json!("off"), Some(false)),
            (json!("no"), Some(false)),
            (json!(""), None),
            (Value::Null, None),
        ] {
            assert_eq!(boolean(&v), Ok(want), "{v}");
        }
        for v in [
            json!("maybe"),
            json!("ture"),
            json!(2),
            json!(0.5),
            json!([true]),
            json!({}),
        ] {
            let e = boolean(&v).expect_err("refused");
            assert!(e.contains("is not true or false"), "{v}: {e}");
        }
        assert_eq!(
            boolean(&json!("maybe")),
            Err("\"maybe\" is not true or false".to_string())
        );
        assert!(matches!(truthy("local", &None), Ok(false)));
        assert!(matches!(truthy("local", &Some("yes".into())), Ok(true)));
        let e = truthy("local", &Some("maybe".into())).expect_err("refused");
        assert!(e.to_string().contains("local"), "{e}");
    }
}
