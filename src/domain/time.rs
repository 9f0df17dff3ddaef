//! Time as milliseconds since the Unix epoch: one integer type that both database backends store alike.

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// RFC 3339 text for ActivityPub `published`/`updated` fields.
pub fn to_rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Parses an RFC 3339 timestamp from a peer; `None` when it is not one.
pub fn from_rfc3339(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.timestamp_millis())
}

/// An RFC 7231 date, as the `Date` header of HTTP requests carries it.
pub fn http_date(t: std::time::SystemTime) -> String {
    httpdate::fmt_http_date(t)
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trip() {
        let t = 1_700_000_000_000;
        assert_eq!(super::from_rfc3339(&super::to_rfc3339(t)), Some(t));
        assert_eq!(super::from_rfc3339("yesterday"), None);
    }
}
