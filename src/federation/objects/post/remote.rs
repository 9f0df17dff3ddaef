//! What a remote post carries besides its text: its poll (`Question`) and its attachments, as rows.

use crate::{
    db,
    domain::{ids::new_id, time},
    federation::{protocol::note::ApubNote, sanitize},
};
use url::Url;

/// The poll a remote `Question` carries: titles and the counts its origin reports.
pub fn remote_poll(note: &ApubNote, post_id: &str) -> Option<db::polls::PollRow> {
    let (options, multiple) = if !note.any_of.is_empty() {
        (&note.any_of, true)
    } else {
        (&note.one_of, false)
    };
    if options.is_empty() {
        return None;
    }
    let titles: Vec<String> = options
        .iter()
        .filter_map(|o| o.get("name").and_then(|n| n.as_str()).map(sanitize::plain))
        .take(20)
        .collect();
    let counts: Vec<i64> = options
        .iter()
        .map(|o| {
            o.pointer("/replies/totalItems")
                .and_then(|n| n.as_i64())
                .unwrap_or(0)
        })
        .take(20)
        .collect();
    Some(db::polls::PollRow {
        post_id: post_id.to_string(),
        multiple,
        options: serde_json::to_string(&titles).ok()?,
        remote_counts: serde_json::to_string(&counts).ok(),
        expires_at: note.end_time.as_deref().and_then(time::from_rfc3339),
        created_at: time::now_ms(),
        remote_voters: note.voters_count,
    })
}

/// Media rows for the attachments of a remote post (at most four; unusable entries skipped).
pub fn remote_media(note: &ApubNote, post_id: &str) -> Vec<crate::db::media::MediaRow> {
    note.attachment
        .iter()
        .filter_map(|a| {
            let url = match a.get("url") {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(other) => other.get("href").and_then(|h| h.as_str())?.to_string(),
                None => return None,
            };
            let parsed = Url::parse(&url).ok()?;
            if !matches!(parsed.scheme(), "https" | "http") {
                return None;
            }
            let mime = a
                .get("mediaType")
                .and_then(|m| m.as_str())
                .unwrap_or("application/octet-stream");
            let kind = mime
                .split('/')
                .next()
                .filter(|k| matches!(*k, "image" | "video" | "audio"))
                .unwrap_or("unknown");
            Some(crate::db::media::MediaRow {
                id: new_id(),
                owner_id: None,
                post_id: Some(post_id.to_string()),
                kind: kind.into(),
                mime: sanitize::plain(mime),
                file_name: None,
                remote_url: Some(parsed.to_string()),
                size: 0,
                width: a.get("width").and_then(|w| w.as_i64()).map(|w| w as i32),
                height: a.get("height").and_then(|h| h.as_i64()).map(|h| h as i32),
                description: a
                    .get("name")
                    .and_then(|n| n.as_str())
                    .map(sanitize::plain_long),
                created_at: time::now_ms(),
                duration_ms: a
                    .get("duration")
                    .and_then(|d| d.as_str())
                    .and_then(time::parse_xsd_duration_ms),
            })
        })
        .take(4)
        .collect()
}
