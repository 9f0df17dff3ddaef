//! Posts as they travel: `Note`, `Page`, `Article` (and `Question`, read as a post for now).

use super::{urls, TextOrMap};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// Object kinds stored as posts.
pub const POST_KINDS: &[&str] = &["Note", "Page", "Article", "Question"];

/// A post.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApubNote {
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(deserialize_with = "urls", serialize_with = "super::one_or_many_urls")]
    pub attributed_to: Vec<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<TextOrMap>,
    /// `content` by language (`{"en": "<p>…</p>"}`); tells the post's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_map: Option<serde_json::Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<TextOrMap>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    #[serde(default, deserialize_with = "urls")]
    pub to: Vec<Url>,
    #[serde(default, deserialize_with = "urls")]
    pub cc: Vec<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Url>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Value>,
    /// Poll options (FEP-9967): single choice in `oneOf`, multiple in `anyOf`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    pub one_of: Vec<Value>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    pub any_of: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voters_count: Option<i64>,
    /// Media (`Image`, `Document`…), one or many.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    pub attachment: Vec<Value>,
    /// Cohort's proposal terms, when the `Question` is a proposal.
    #[serde(flatten)]
    pub proposal: super::proposal::ProposalTerms,
    /// A FEP-8b32 integrity proof (votes carry one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<Value>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Value>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Array(a)) => a,
        Some(Value::Null) | None => vec![],
        Some(other) => vec![other],
    })
}

impl ApubNote {
    /// Every addressee (`to`, `cc`, `audience`), for finding the group a post belongs to.
    pub fn addressees(&self) -> impl Iterator<Item = &Url> {
        self.to
            .iter()
            .chain(self.cc.iter())
            .chain(self.audience.iter())
    }

    /// Names of `Hashtag` tags, normalized (lower-case, without `#`), each once.
    pub fn hashtags(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in self
            .tag
            .iter()
            .filter(|t| t.get("type").and_then(Value::as_str) == Some("Hashtag"))
            .filter_map(|t| t.get("name").and_then(Value::as_str))
            .filter_map(crate::domain::names::normalize_hashtag)
            .take(50)
        {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }

    /// The post's language: the key of a one-language `contentMap` (or `content` map), normalized.
    pub fn language(&self) -> Option<String> {
        let map = match (&self.content_map, &self.content) {
            (Some(m), _) => m,
            (None, Some(TextOrMap::Map(m))) => m,
            _ => return None,
        };
        match map.keys().collect::<Vec<_>>().as_slice() {
            [only] => crate::domain::names::normalize_language(only),
            _ => None,
        }
    }

    /// `href`s of `Mention` tags, then the actors addressed in `to`/`cc` (callers keep only known
    /// actors). Lemmy sends private messages addressed in `to` alone, without a `Mention` tag; as
    /// Mastodon does, an addressed member counts as mentioned, or the message would be dropped.
    pub fn mentions(&self) -> Vec<Url> {
        let mut out: Vec<Url> = self
            .tag
            .iter()
            .filter(|t| t.get("type").and_then(Value::as_str) == Some("Mention"))
            .filter_map(|t| t.get("href").and_then(Value::as_str))
            .filter_map(|s| Url::parse(s).ok())
            .collect();
        for u in self.to.iter().chain(self.cc.iter()) {
            if !out.contains(u) {
                out.push(u.clone());
            }
        }
        out
    }
}
