//! Hand-made HTTP signatures (draft-cavage, rsa-sha256) for tests that need requests no real
//! node would send: a chosen `headers=` list, a chosen `keyId`, a chosen content type.

use base64::{engine::general_purpose::STANDARD as Base64, Engine};
use rsa::{pkcs8::DecodePrivateKey, Pkcs1v15Sign, RsaPrivateKey};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Every header a complete inbox signature covers.
pub const FULL: &[&str] = &["(request-target)", "host", "date", "digest"];

/// A key to sign with and the `keyId` to name (they need not belong together).
#[derive(Clone)]
pub struct Signer {
    pub key_id: String,
    pub private_pem: String,
}

impl Signer {
    /// Signs as a stored local actor of a test node, naming its own main key.
    pub fn of(actor: &cohort::db::actors::ActorRow) -> Signer {
        Signer {
            key_id: format!("{}#main-key", actor.ap_id),
            private_pem: actor.private_key_pem.clone().expect("a local actor's key"),
        }
    }
}

/// One crafted inbox POST.
pub struct Post<'a> {
    pub url: &'a str,
    pub body: &'a [u8],
    pub content_type: &'a str,
    /// The `headers=` list of the signature, in order.
    pub covered: &'a [&'a str],
}

/// The `Signature` header value and the other headers it was computed over.
pub fn sign(signer: &Signer, p: &Post) -> Vec<(String, String)> {
    let url = url::Url::parse(p.url).expect("url");
    let host = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().expect("host")),
        None => url.host_str().expect("host").to_string(),
    };
    let created = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let headers = vec![
        ("host".to_string(), host),
        (
            "date".to_string(),
            cohort::domain::time::http_date(std::time::SystemTime::now()),
        ),
        (
            "digest".to_string(),
            format!("SHA-256={}", Base64.encode(Sha256::digest(p.body))),
        ),
        ("content-type".to_string(), p.content_type.to_string()),
    ];
    let line = |h: &str| -> String {
        match h {
            "(request-target)" => format!("(request-target): post {}", url.path()),
            "(created)" => format!("(created): {created}"),
            other => {
                let v = headers
                    .iter()
                    .find(|(k, _)| k == other)
                    .map(|(_, v)| v.clone())
                    .expect("a header we set");
                format!("{other}: {v}")
            }
        }
    };
    let signing_string = p
        .covered
        .iter()
        .map(|h| line(h))
        .collect::<Vec<_>>()
        .join("\n");
    let key = RsaPrivateKey::from_pkcs8_pem(&signer.private_pem).expect("pkcs8 key");
    let sig = key
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(signing_string.as_bytes()),
        )
        .expect("sign");
    let created_param = if p.covered.contains(&"(created)") {
        format!(",created={created}")
    } else {
        String::new()
    };
    let signature = format!(
        "keyId=\"{}\",algorithm=\"rsa-sha256\",headers=\"{}\"{created_param},signature=\"{}\"",
        signer.key_id,
        p.covered.join(" "),
        Base64.encode(sig)
    );
    let mut all: Vec<(String, String)> = headers.into_iter().filter(|(k, _)| k != "host").collect();
    all.push(("signature".into(), signature));
    all
}

/// Signs and sends `p`; answers the status and the JSON body (`Null` when there is none).
pub async fn post(signer: &Signer, p: &Post<'_>) -> (u16, Value) {
    let mut req = reqwest::Client::new().post(p.url).body(p.body.to_vec());
    for (k, v) in sign(signer, p) {
        req = req.header(k, v);
    }
    let res = req.send().await.expect("send");
    let status = res.status().as_u16();
    (status, res.json::<Value>().await.unwrap_or(Value::Null))
}
