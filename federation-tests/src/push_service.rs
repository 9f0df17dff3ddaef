//! A Web Push service on loopback for tests: it checks each message's VAPID JWT (RFC 8292: an
//! ES256 signature by the key in `k=`, the endpoint's origin as audience, not expired) and
//! decrypts its body with the subscriber's browser keys (RFC 8291, `aes128gcm`), as a push
//! service and a browser together would. Answers can be scripted per endpoint.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::post,
    Router,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use p256::{
    ecdsa::{signature::Verifier, Signature, VerifyingKey},
    elliptic_curve::sec1::ToEncodedPoint,
};
use std::{
    collections::{BTreeMap, VecDeque},
    sync::{Arc, Mutex},
};

/// A browser's subscription keys: the secret stays here, `p256dh` and `auth` go to the node.
pub struct Browser {
    pub secret: p256::SecretKey,
    pub auth: [u8; 16],
}

impl Browser {
    /// New random keys.
    pub fn new() -> Browser {
        let mut auth = [0u8; 16];
        rand_bytes(&mut auth);
        Browser {
            secret: p256::SecretKey::random(&mut rand::rngs::OsRng),
            auth,
        }
    }

    /// `keys[p256dh]` as browsers send it (base64url).
    pub fn p256dh(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.secret.public_key().to_encoded_point(false).as_bytes())
    }

    /// `keys[auth]` (base64url).
    pub fn auth(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.auth)
    }
}

impl Default for Browser {
    fn default() -> Self {
        Browser::new()
    }
}

fn rand_bytes(out: &mut [u8]) {
    use rand::RngCore;
    rand::rngs::OsRng.fill_bytes(out);
}

/// One message the service received, checked and decrypted.
#[derive(Debug, Clone)]
pub struct Received {
    pub endpoint: String,
    /// The decrypted JSON, or `None` when it could not be decrypted.
    pub message: Option<serde_json::Value>,
    /// The VAPID public key (`k=`) the JWT verified against, or the reason it did not.
    pub vapid: Result<String, String>,
    pub content_encoding: String,
    pub ttl: Option<String>,
    /// What the service answered.
    pub answered: u16,
}

#[derive(Default)]
struct Inner {
    browsers: BTreeMap<String, Browser>,
    script: BTreeMap<String, VecDeque<u16>>,
    received: Vec<Received>,
    origin: String,
}

/// The service: endpoints `{base}/push/{name}`.
#[derive(Clone)]
pub struct PushService {
    inner: Arc<Mutex<Inner>>,
    pub base: String,
}

impl PushService {
    /// Starts the service on a free loopback port.
    pub async fn start() -> PushService {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let inner = Arc::new(Mutex::new(Inner {
            origin: base.clone(),
            ..Default::default()
        }));
        let app = Router::new()
            .route("/push/{name}", post(receive))
            .with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        PushService { inner, base }
    }

    /// A new endpoint with its browser keys: `(endpoint, p256dh, auth)`.
    pub fn endpoint(&self, name: &str) -> (String, String, String) {
        let b = Browser::new();
        let keys = (b.p256dh(), b.auth());
        self.lock().browsers.insert(name.to_string(), b);
        (format!("{}/push/{name}", self.base), keys.0, keys.1)
    }

    /// The next answers of an endpoint (then 201 again).
    pub fn answer(&self, name: &str, statuses: &[u16]) {
        self.lock()
            .script
            .insert(name.to_string(), statuses.iter().copied().collect());
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Checks `Authorization: vapid t=<jwt>, k=<key>`; returns the key.
fn check_vapid(headers: &HeaderMap, origin: &str) -> Result<String, String> {
    let h = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or("no Authorization")?;
    let (t, k) = h
        .strip_prefix("vapid t=")
        .and_then(|r| r.split_once(", k="))
        .ok_or("not a vapid Authorization")?;
    let key = URL_SAFE_NO_PAD
        .decode(k)
        .map_err(|_| "k is not base64url")?;
    let key = VerifyingKey::from_sec1_bytes(&key).map_err(|_| "k is not a P-256 key")?;
    let (input, sig) = t.rsplit_once('.').ok_or("not a JWT")?;
    let sig = URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|_| "signature not base64url")?;
    let sig = Signature::from_slice(&sig).map_err(|_| "not an ES256 signature")?;
    key.verify(input.as_bytes(), &sig)
        .map_err(|_| "the JWT signature does not verify")?;
    let (header, claims) = input.split_once('.').ok_or("not a JWT")?;
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).map_err(|_| "header")?)
            .map_err(|_| "header is not JSON")?;
    if header["alg"] != "ES256" {
        return Err(format!("alg {}", header["alg"]));
    }
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).map_err(|_| "claims")?)
            .map_err(|_| "claims are not JSON")?;
    if claims["aud"] != origin {
        return Err(format!("aud {} is not {origin}", claims["aud"]));
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let exp = claims["exp"].as_i64().ok_or("no exp")?;
    if exp <= now || exp > now + 24 * 3600 {
        return Err(format!("exp {exp} is not within 24 hours"));
    }
    if claims["sub"].as_str().is_none_or(|s| s.is_empty()) {
        return Err("no sub".into());
    }
    Ok(k.to_string())
}

async fn receive(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let mut inner = inner.lock().unwrap_or_else(|e| e.into_inner());
    let vapid = check_vapid(&headers, &inner.origin);
    let message = inner.browsers.get(&name).and_then(|b| {
        let auth = web_push_native::Auth::clone_from_slice(&b.auth);
        let plain = web_push_native::decrypt(body.to_vec(), &b.secret, &auth).ok()?;
        serde_json::from_slice(&plain).ok()
    });
    let scripted = inner.script.get_mut(&name).and_then(|q| q.pop_front());
    let answered = match (&vapid, &message, scripted) {
        (Err(_), _, _) => 401,
        (_, None, _) => 400,
        (_, _, Some(s)) => s,
        _ => 201,
    };
    let header = |k: &str| {
        headers
            .get(k)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    };
    inner.received.push(Received {
        endpoint: name,
        message,
        vapid,
        content_encoding: header("content-encoding").unwrap_or_default(),
        ttl: header("ttl"),
        answered,
    });
    StatusCode::from_u16(answered).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
