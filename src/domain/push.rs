//! Web Push rules: which alerts a subscription may name, whose notifications its policy admits,
//! and the keys a browser gives (RFC 8291). The cryptography is in `webpush.rs`.

use base64::{
    engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD},
    Engine,
};
use std::collections::BTreeSet;

/// The alert types of Mastodon's WebPushSubscription, in its order.
pub const ALERT_TYPES: [&str; 10] = [
    "mention",
    "status",
    "reblog",
    "follow",
    "follow_request",
    "favourite",
    "poll",
    "update",
    "admin.sign_up",
    "admin.report",
];

/// The notification types a subscription wants pushed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Alerts(BTreeSet<String>);

impl Alerts {
    /// From `(type, on)` pairs as an app sends them; an unknown type is an error.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, bool)>,
    ) -> Result<Alerts, String> {
        let mut on = BTreeSet::new();
        for (kind, wanted) in pairs {
            if !ALERT_TYPES.contains(&kind) {
                return Err(format!("unknown alert type {kind:?}"));
            }
            if wanted {
                on.insert(kind.to_string());
            }
        }
        Ok(Alerts(on))
    }

    /// The stored form (comma-separated).
    pub fn stored(&self) -> String {
        self.0.iter().cloned().collect::<Vec<_>>().join(",")
    }

    /// From the stored form.
    pub fn from_stored(s: &str) -> Alerts {
        Alerts(
            s.split(',')
                .filter(|k| !k.is_empty())
                .map(String::from)
                .collect(),
        )
    }

    /// Whether a notification type is pushed.
    pub fn wants(&self, kind: &str) -> bool {
        self.0.contains(kind)
    }

    /// Every alert type with whether it is on, in Mastodon's order.
    pub fn all(&self) -> Vec<(&'static str, bool)> {
        ALERT_TYPES.iter().map(|k| (*k, self.wants(k))).collect()
    }
}

/// Whose notifications are pushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Everyone's.
    All,
    /// Only those of accounts the member follows.
    Followed,
    /// Only those of accounts that follow the member.
    Follower,
    /// Nobody's.
    None,
}

impl Policy {
    /// From the API's name; `None` (the Rust one) for an unknown name.
    pub fn parse(s: &str) -> Option<Policy> {
        Some(match s {
            "all" => Policy::All,
            "followed" => Policy::Followed,
            "follower" => Policy::Follower,
            "none" => Policy::None,
            _ => return None,
        })
    }

    /// The API's (and the stored) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::All => "all",
            Policy::Followed => "followed",
            Policy::Follower => "follower",
            Policy::None => "none",
        }
    }
}

/// Decodes base64 as browsers and apps send it: URL-safe or standard, padded or not.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    [URL_SAFE_NO_PAD, URL_SAFE, STANDARD_NO_PAD, STANDARD]
        .iter()
        .find_map(|e| e.decode(s).ok())
}

/// Checks a browser's keys: `p256dh` a P-256 public key (65-byte uncompressed point) and `auth`
/// a 16-byte secret. Returns them re-encoded as unpadded base64url.
pub fn check_keys(p256dh: &str, auth: &str) -> Result<(String, String), String> {
    let key = decode_base64(p256dh).ok_or("keys[p256dh] is not base64")?;
    if key.len() != 65 || p256::PublicKey::from_sec1_bytes(&key).is_err() {
        return Err("keys[p256dh] is not a P-256 public key".into());
    }
    let secret = decode_base64(auth).ok_or("keys[auth] is not base64")?;
    if secret.len() != 16 {
        return Err("keys[auth] must be 16 bytes".into());
    }
    Ok((URL_SAFE_NO_PAD.encode(key), URL_SAFE_NO_PAD.encode(secret)))
}

/// Checks a push endpoint: an absolute `https` (or `http`) URL with a host.
pub fn check_endpoint(endpoint: &str) -> Result<String, String> {
    let url = url::Url::parse(endpoint.trim())
        .map_err(|_| "subscription[endpoint] is not a URL".to_string())?;
    if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none() {
        return Err("subscription[endpoint] must be an https URL".into());
    }
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerts_refuse_unknown_types_and_round_trip() {
        assert!(Alerts::from_pairs([("follow", true), ("shout", true)]).is_err());
        let a = Alerts::from_pairs([("follow", true), ("mention", true), ("poll", false)]).unwrap();
        assert_eq!(Alerts::from_stored(&a.stored()), a);
        assert!(a.wants("follow") && !a.wants("poll") && !a.wants("favourite"));
        assert_eq!(a.all().len(), ALERT_TYPES.len());
    }

    #[test]
    fn keys_and_endpoints_are_checked() {
        let secret = p256::SecretKey::from_slice(&[7u8; 32]).unwrap();
        let public = p256::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(
            &secret.public_key(),
            false,
        );
        let p = URL_SAFE_NO_PAD.encode(public.as_bytes());
        let (p2, a2) = check_keys(&p, &STANDARD.encode([1u8; 16])).unwrap();
        assert_eq!(p2, p);
        assert_eq!(a2, URL_SAFE_NO_PAD.encode([1u8; 16]));
        assert!(check_keys(&p, &URL_SAFE_NO_PAD.encode([1u8; 15])).is_err());
        assert!(check_keys(
            &URL_SAFE_NO_PAD.encode([4u8; 65]),
            &URL_SAFE_NO_PAD.encode([1u8; 16])
        )
        .is_err());
        assert!(check_keys("%%%", "x").is_err());
        assert!(check_endpoint("https://push.example/abc").is_ok());
        assert!(check_endpoint("not a url").is_err());
        assert!(check_endpoint("ftp://push.example/abc").is_err());
        assert_eq!(Policy::parse("follower"), Some(Policy::Follower));
        assert_eq!(Policy::parse("friends"), None);
    }
}
