//! Web Push cryptography: the node's VAPID key (P-256, RFC 8292) and its JWTs, and message
//! encryption for a subscription (RFC 8291, `aes128gcm` of RFC 8188, by `web-push-native`).

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use p256::ecdsa::{signature::Signer, Signature, SigningKey};

/// The node's VAPID key pair.
#[derive(Clone)]
pub struct VapidKey(SigningKey);

impl VapidKey {
    /// A new random key.
    pub fn generate() -> VapidKey {
        VapidKey(SigningKey::random(&mut rand::rngs::OsRng))
    }

    /// The key from its stored form (the 32-byte secret scalar, base64url).
    pub fn from_stored(s: &str) -> Result<VapidKey, String> {
        let bytes = URL_SAFE_NO_PAD
            .decode(s.trim())
            .map_err(|_| "the stored VAPID key is not base64url".to_string())?;
        SigningKey::from_slice(&bytes)
            .map(VapidKey)
            .map_err(|_| "the stored VAPID key is not a P-256 secret".to_string())
    }

    /// The stored form.
    pub fn stored(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.to_bytes())
    }

    /// The public key as apps see it (`vapid_key`, `server_key`): the uncompressed point, base64url.
    pub fn public_key(&self) -> String {
        let point = self.0.verifying_key().to_encoded_point(false);
        URL_SAFE_NO_PAD.encode(point.as_bytes())
    }

    /// The `Authorization` header for a push to `endpoint` (RFC 8292 §3): a JWT for the
    /// endpoint's origin, valid for 12 hours from `now_secs`, naming `contact`.
    pub fn authorization(&self, endpoint: &url::Url, now_secs: i64, contact: &str) -> String {
        let origin = endpoint.origin().ascii_serialization();
        let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = serde_json::to_vec(&serde_json::Value::Object(
            [
                ("aud".to_string(), origin.into()),
                ("exp".to_string(), (now_secs + 12 * 3600).into()),
                ("sub".to_string(), contact.into()),
            ]
            .into_iter()
            .collect(),
        ))
        .unwrap_or_default();
        let signing_input = format!("{header}.{}", URL_SAFE_NO_PAD.encode(claims));
        let signature: Signature = self.0.sign(signing_input.as_bytes());
        let jwt = format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        );
        format!("vapid t={jwt}, k={}", self.public_key())
    }
}

/// Encrypts `message` for a subscription's keys (base64url `p256dh` and `auth`).
pub fn encrypt(message: Vec<u8>, p256dh: &str, auth: &str) -> Result<Vec<u8>, String> {
    let key = URL_SAFE_NO_PAD
        .decode(p256dh)
        .ok()
        .and_then(|k| p256::PublicKey::from_sec1_bytes(&k).ok())
        .ok_or("the subscription's p256dh is not a P-256 key")?;
    let secret = URL_SAFE_NO_PAD
        .decode(auth)
        .ok()
        .filter(|a| a.len() == 16)
        .ok_or("the subscription's auth secret is not 16 bytes")?;
    let auth = web_push_native::Auth::clone_from_slice(&secret);
    web_push_native::encrypt(message, &key, &auth).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::elliptic_curve::sec1::ToEncodedPoint;

    #[test]
    fn vapid_jwt_verifies_with_the_public_key_and_names_the_origin() {
        use p256::ecdsa::{signature::Verifier, VerifyingKey};
        let key = VapidKey::from_stored(&VapidKey::generate().stored()).unwrap();
        let endpoint = url::Url::parse("https://push.example:8443/send/abc").unwrap();
        let header = key.authorization(&endpoint, 1_000, "mailto:admin@node.example");
        let (t, k) = header
            .strip_prefix("vapid t=")
            .and_then(|r| r.split_once(", k="))
            .unwrap();
        assert_eq!(k, key.public_key());
        let (input, sig) = t.rsplit_once('.').unwrap();
        let public = VerifyingKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(k).unwrap()).unwrap();
        let sig = Signature::from_slice(&URL_SAFE_NO_PAD.decode(sig).unwrap()).unwrap();
        public.verify(input.as_bytes(), &sig).unwrap();
        let claims = URL_SAFE_NO_PAD
            .decode(input.split_once('.').unwrap().1)
            .unwrap();
        let claims: serde_json::Value = serde_json::from_slice(&claims).unwrap();
        assert_eq!(claims["aud"], "https://push.example:8443");
        assert_eq!(claims["exp"], 1_000 + 12 * 3600);
        let mut tampered = input.to_string();
        tampered.push('x');
        assert!(public.verify(tampered.as_bytes(), &sig).is_err());
    }

    #[test]
    fn messages_decrypt_with_the_browsers_secret_only() {
        let browser = p256::SecretKey::random(&mut rand::rngs::OsRng);
        let p256dh =
            URL_SAFE_NO_PAD.encode(browser.public_key().to_encoded_point(false).as_bytes());
        let auth = URL_SAFE_NO_PAD.encode([9u8; 16]);
        let sealed = encrypt(b"hello".to_vec(), &p256dh, &auth).unwrap();
        let secret = web_push_native::Auth::clone_from_slice(&[9u8; 16]);
        let opened = web_push_native::decrypt(sealed.clone(), &browser, &secret).unwrap();
        assert_eq!(opened, b"hello");
        let other = p256::SecretKey::random(&mut rand::rngs::OsRng);
        assert!(web_push_native::decrypt(sealed, &other, &secret).is_err());
    }
}
