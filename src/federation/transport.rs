//! Transport checks on signed requests that the federation library leaves open: which parts of
//! the request an HTTP signature must cover, that the signing key lives on the actor's origin,
//! and which content types an inbox reads.

use crate::{domain::names::authority_of, error::AppError};
use axum::http::{header, HeaderMap};
use url::Url;

/// The value of one `name="value"` parameter of a draft-cavage `Signature` header.
pub fn signature_param<'a>(signature: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = signature;
    loop {
        rest = rest.trim_start_matches([',', ' ', '\t']);
        let (key, after) = rest.split_once('=')?;
        let (value, next) = match after.strip_prefix('"') {
            Some(quoted) => quoted.split_once('"')?,
            None => after.split_once(',').unwrap_or((after, "")),
        };
        if key.trim().eq_ignore_ascii_case(name) {
            return Some(value);
        }
        rest = next;
    }
}

/// Refuses (401) a signature that does not cover the request target and the time (`date` or
/// `(created)`), and for requests with a body (inbox deliveries) also the host and its digest.
/// Without them a signature could be replayed against another path, node or time, or over another
/// body. Signed fetches (GET) need not cover `host`: the federation library Lemmy and others use
/// signs GETs without it, and a replayed fetch only shows the signer what it may already read.
pub fn require_covered(signature: &str, with_body: bool) -> Result<(), AppError> {
    // Draft-cavage: without a `headers` parameter only `date` is signed.
    let covered: Vec<String> = signature_param(signature, "headers")
        .unwrap_or("date")
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    let has = |h: &str| covered.iter().any(|c| c == h);
    let mut missing = Vec::new();
    if !has("(request-target)") {
        missing.push("(request-target)");
    }
    if with_body && !has("host") {
        missing.push("host");
    }
    if !has("date") && !has("(created)") {
        missing.push("date");
    }
    if with_body && !has("digest") {
        missing.push("digest");
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(AppError::Unauthorized(format!(
            "HTTP signature must cover {}",
            missing.join(", ")
        )))
    }
}

/// Refuses (401) an activity signed with a key of another origin than its actor's (FEP-fe34).
pub fn require_key_of_actor(key: &Url, actor: &Url) -> Result<(), AppError> {
    if authority_of(key).is_some() && authority_of(key) == authority_of(actor) {
        Ok(())
    } else {
        Err(AppError::Unauthorized(format!(
            "the signing key {key} is not on the origin of the actor {actor}"
        )))
    }
}

/// Refuses (415) inbox bodies that are not ActivityPub JSON: `application/activity+json`,
/// `application/ld+json` (any profile) or `application/json`.
pub fn require_activity_json(headers: &HeaderMap) -> Result<(), AppError> {
    let value = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match media.as_str() {
        "application/activity+json" | "application/ld+json" | "application/json" => Ok(()),
        _ => Err(AppError::UnsupportedMediaType(format!(
            "an inbox reads application/activity+json, not {:?}",
            value
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIG: &str = r#"keyId="https://a.example/users/x#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="a,b=""#;

    #[test]
    fn parameters_are_read_from_quoted_values() {
        assert_eq!(
            signature_param(SIG, "headers"),
            Some("(request-target) host date digest")
        );
        assert_eq!(signature_param(SIG, "signature"), Some("a,b="));
        assert_eq!(signature_param(SIG, "created"), None);
        assert_eq!(
            signature_param("created=12,headers=\"date\"", "created"),
            Some("12")
        );
    }

    #[test]
    fn coverage() {
        assert!(require_covered(SIG, true).is_ok());
        let created = r#"keyId="k",headers="(request-target) (created) host digest",signature="s""#;
        assert!(require_covered(created, true).is_ok());
        let get = r#"keyId="k",headers="(request-target) host date accept",signature="s""#;
        assert!(require_covered(get, false).is_ok());
        assert!(require_covered(get, true).is_err());
        assert!(require_covered(r#"keyId="k",signature="s""#, false).is_err());
        let no_host = r#"keyId="k",headers="(request-target) date digest",signature="s""#;
        assert!(require_covered(no_host, true).is_err());
        let lemmy_get = r#"keyId="k",headers="(request-target) date",signature="s""#;
        assert!(require_covered(lemmy_get, false).is_ok());
        let no_target = r#"keyId="k",headers="host date",signature="s""#;
        assert!(require_covered(no_target, false).is_err());
    }

    #[test]
    fn key_origin() {
        let u = |s: &str| Url::parse(s).unwrap();
        let actor = u("http://localhost:1/users/x");
        assert!(require_key_of_actor(&u("http://localhost:1/users/x#main-key"), &actor).is_ok());
        assert!(require_key_of_actor(&u("http://localhost:2/users/x#main-key"), &actor).is_err());
    }
}
