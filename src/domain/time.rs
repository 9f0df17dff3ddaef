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

/// An `xsd:duration` such as `PT2.5S` (the `duration` of audio and video attachments).
pub fn to_xsd_duration(ms: i64) -> String {
    let ms = ms.max(0);
    if ms % 1000 == 0 {
        format!("PT{}S", ms / 1000)
    } else {
        let text = format!("{}.{:03}", ms / 1000, ms % 1000);
        format!("PT{}S", text.trim_end_matches('0'))
    }
}

/// Parses the day and time parts of an `xsd:duration` (`P1DT2H3M4.5S`); `None` for other text
/// or for years and months, whose length varies.
pub fn parse_xsd_duration_ms(s: &str) -> Option<i64> {
    let rest = s.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    if date.is_empty() && time.is_empty() {
        return None;
    }
    let mut total = 0f64;
    for (part, units) in [
        (date, &[('D', 86_400.0)][..]),
        (time, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)][..]),
    ] {
        let mut number = String::new();
        let mut unit_index = 0;
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
                continue;
            }
            let pos = units[unit_index..].iter().position(|(u, _)| *u == c)?;
            unit_index += pos;
            total += number.parse::<f64>().ok()? * units[unit_index].1;
            unit_index += 1;
            number.clear();
        }
        if !number.is_empty() {
            return None;
        }
    }
    (total.is_finite() && total < 1e9).then(|| (total * 1000.0).round() as i64)
}

#[cfg(test)]
mod tests {
    #[test]
    fn xsd_durations() {
        assert_eq!(super::to_xsd_duration(2500), "PT2.5S");
        assert_eq!(super::to_xsd_duration(60_000), "PT60S");
        assert_eq!(super::parse_xsd_duration_ms("PT2.5S"), Some(2500));
        assert_eq!(super::parse_xsd_duration_ms("PT1H2M3S"), Some(3_723_000));
        assert_eq!(super::parse_xsd_duration_ms("P1DT1S"), Some(86_401_000));
        for bad in ["", "P", "PT", "2.5S", "PT5X", "PT1S2M", "P1Y", "PTS"] {
            assert_eq!(super::parse_xsd_duration_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn round_trip() {
        let t = 1_700_000_000_000;
        assert_eq!(super::from_rfc3339(&super::to_rfc3339(t)), Some(t));
        assert_eq!(super::from_rfc3339("yesterday"), None);
    }
}
