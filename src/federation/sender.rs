//! Signs one delivery and POSTs it to a peer's inbox, and tells what the peer answered: accepted,
//! refused (a 4xx other than 408 and 429: sending it again will not help; the status and the
//! start of the answer are kept for the operator), or failed (transport error, timeout, 408, 429,
//! 5xx: retried later).
//!
//! The signature covers `(request-target) content-type date digest host` (draft-cavage
//! `rsa-sha256` with the `hs2019` label, as Mastodon, Lemmy and the federation library send it).

use crate::{domain::names::authority_of, federation::signing::PrivateKey, state::NodeState};
use base64::{engine::general_purpose::STANDARD as Base64, Engine};
use reqwest::StatusCode;
use sha2::{Digest, Sha256};
use std::{collections::BTreeMap, time::SystemTime};
use url::Url;

/// The content type of every delivery.
pub const ACTIVITY_JSON: &str = "application/activity+json";
/// How much of a refusing peer's answer is kept.
const ANSWER_KEPT: usize = 300;

/// What became of one POST.
#[derive(Debug, PartialEq)]
pub enum Answer {
    Accepted,
    Refused { status: u16, answer: String },
    Failed(String),
}

/// Why an inbox URL is not one we send to, or `None` when it is.
pub fn unusable_inbox(state: &NodeState, inbox: &Url) -> Option<&'static str> {
    let debug = state.config.federation.debug;
    match inbox.scheme() {
        "https" => {}
        "http" if debug => {}
        _ => return Some("inbox URL has a scheme peers may not use"),
    }
    let Some(domain) = inbox.domain() else {
        return Some("inbox URL has no domain name");
    };
    if !domain
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    {
        return Some("inbox URL has invalid characters in its domain");
    }
    if inbox.port().is_some() && !debug {
        return Some("inbox URL has an explicit port");
    }
    if authority_of(inbox).as_deref() == Some(state.config.instance.domain.as_str()) {
        return Some("inbox URL is on this node");
    }
    None
}

/// Signs `body` as `actor_id` with `key` and POSTs it to `inbox`.
pub async fn post(
    state: &NodeState,
    key: &PrivateKey,
    actor_id: &str,
    inbox: &Url,
    body: String,
) -> Answer {
    let headers = match signed_headers(key, actor_id, inbox, body.as_bytes()) {
        Ok(h) => h,
        Err(e) => return Answer::Failed(e),
    };
    let mut request = state
        .peer_client
        .post(inbox.as_str())
        .timeout(std::time::Duration::from_secs(
            state.config.federation.request_timeout_secs,
        ))
        .body(body);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let response = match request.send().await {
        Ok(r) => r,
        Err(e) => return Answer::Failed(e.to_string()),
    };
    let status = response.status();
    if status.is_success() {
        return Answer::Accepted;
    }
    let answer = start_of(response).await;
    if status.is_client_error()
        && status != StatusCode::REQUEST_TIMEOUT
        && status != StatusCode::TOO_MANY_REQUESTS
    {
        Answer::Refused {
            status: status.as_u16(),
            answer,
        }
    } else {
        Answer::Failed(format!("HTTP {}: {answer}", status.as_u16()))
    }
}

/// The headers of a signed POST: content type, host, date, digest and signature.
pub fn signed_headers(
    key: &PrivateKey,
    actor_id: &str,
    inbox: &Url,
    body: &[u8],
) -> Result<Vec<(String, String)>, String> {
    let host = authority_of(inbox).ok_or("inbox URL without host")?;
    let mut headers = BTreeMap::new();
    headers.insert("content-type".to_string(), ACTIVITY_JSON.to_string());
    headers.insert("host".to_string(), host);
    headers.insert(
        "date".to_string(),
        httpdate::fmt_http_date(SystemTime::now()),
    );
    headers.insert(
        "digest".to_string(),
        format!("SHA-256={}", Base64.encode(Sha256::digest(body))),
    );
    let path = match inbox.query() {
        Some(q) => format!("{}?{q}", inbox.path()),
        None => inbox.path().to_string(),
    };
    let signature = http_signature_normalization::Config::new()
        .mastodon_compat()
        .begin_sign("POST", &path, headers.clone())
        .map_err(|e| e.to_string())?
        .sign(format!("{actor_id}#main-key"), |signing_string| {
            key.sign(signing_string.as_bytes())
                .map(|s| Base64.encode(s))
                .ok_or("cannot sign")
        })?
        .signature_header();
    let mut out: Vec<(String, String)> = headers.into_iter().collect();
    out.push(("signature".into(), signature));
    Ok(out)
}

/// The first characters of an answer body (for the operator; not parsed).
async fn start_of(mut response: reqwest::Response) -> String {
    let mut bytes = Vec::new();
    while bytes.len() < ANSWER_KEPT * 4 {
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(ANSWER_KEPT * 4)]);
    let mut kept: String = text.chars().take(ANSWER_KEPT).collect();
    if text.chars().count() > ANSWER_KEPT {
        kept.push('…');
    }
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}
