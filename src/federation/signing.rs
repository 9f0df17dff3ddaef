//! RSA for HTTP signatures, through the same native library that runs TLS: verifying a peer's
//! signature and signing our deliveries cost a fraction of the pure-Rust implementation's time
//! (measured in `docs/benchmarks.md`). Keys are parsed once: remote public keys live in the key
//! cache, local private keys in [`LocalKeys`].

use aws_lc_rs::{
    rand::SystemRandom,
    signature::{self, RsaKeyPair, UnparsedPublicKey},
};
use rsa::{
    pkcs1::EncodeRsaPublicKey,
    pkcs8::{DecodePublicKey, SecretDocument},
    traits::PublicKeyParts,
    RsaPublicKey,
};
use std::sync::Arc;

/// A peer's RSA public key, ready to verify `rsa-sha256` (PKCS#1 v1.5, SHA-256) signatures.
pub struct PublicKey {
    key: UnparsedPublicKey<Vec<u8>>,
}

impl PublicKey {
    /// Parses a SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`); `None` when it is not
    /// an RSA key of 1024 to 8192 bits.
    pub fn from_pem(pem: &str) -> Option<PublicKey> {
        let parsed = RsaPublicKey::from_public_key_pem(pem).ok()?;
        let bits = parsed.n().bits();
        if !(1024..=8192).contains(&bits) {
            return None;
        }
        let der = parsed.to_pkcs1_der().ok()?.as_bytes().to_vec();
        // Keys under 2048 bits are still met on old peers; they are accepted as the federation
        // library accepted them.
        let algorithm = if bits < 2048 {
            &signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY
        } else {
            &signature::RSA_PKCS1_2048_8192_SHA256
        };
        Some(PublicKey {
            key: UnparsedPublicKey::new(algorithm, der),
        })
    }

    /// Whether `signature` signs `message` with this key.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        self.key.verify(message, signature).is_ok()
    }
}

/// A local actor's private key, parsed.
pub struct PrivateKey {
    pair: RsaKeyPair,
}

impl PrivateKey {
    /// Parses a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), as Cohort stores its actors' keys.
    pub fn from_pem(pem: &str) -> Option<PrivateKey> {
        let (label, doc) = SecretDocument::from_pem(pem).ok()?;
        let pair = match label {
            "PRIVATE KEY" => RsaKeyPair::from_pkcs8(doc.as_bytes()).ok()?,
            "RSA PRIVATE KEY" => RsaKeyPair::from_der(doc.as_bytes()).ok()?,
            _ => return None,
        };
        Some(PrivateKey { pair })
    }

    /// The `rsa-sha256` signature of `message`.
    pub fn sign(&self, message: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![0; self.pair.public_modulus_len()];
        self.pair
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                message,
                &mut out,
            )
            .ok()?;
        Some(out)
    }
}

/// Parsed private keys of local actors, by actor id, checked against the stored PEM on every use
/// (a rotated key is parsed again). Bounded; the least recently used go first.
pub struct LocalKeys {
    keys: moka::sync::Cache<String, Arc<(String, PrivateKey)>>,
}

impl LocalKeys {
    pub fn new(capacity: u64) -> LocalKeys {
        LocalKeys {
            keys: moka::sync::Cache::new(capacity),
        }
    }

    /// The parsed key of `actor`, whose stored key is `pem`; `None` when it cannot be read.
    pub fn get(&self, actor: &str, pem: &str) -> Option<Arc<(String, PrivateKey)>> {
        if let Some(hit) = self.keys.get(actor) {
            if hit.0 == pem {
                return Some(hit);
            }
        }
        let parsed = Arc::new((pem.to_string(), PrivateKey::from_pem(pem)?));
        self.keys.insert(actor.to_string(), parsed.clone());
        Some(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::{pkcs1v15::Pkcs1v15Sign, pkcs8::DecodePrivateKey, RsaPrivateKey};
    use sha2::{Digest, Sha256};

    #[test]
    fn signs_and_verifies_like_the_pure_rust_implementation() {
        let keys = crate::domain::keys::generate().unwrap();
        let ours = PrivateKey::from_pem(&keys.rsa_private_pem).unwrap();
        let public = PublicKey::from_pem(&keys.rsa_public_pem).unwrap();
        let message = b"(request-target): post /inbox\nhost: a.example";
        let sig = ours.sign(message).unwrap();
        assert!(public.verify(message, &sig));
        assert!(!public.verify(b"another message", &sig));
        // The other implementation accepts our signature and produces one we accept.
        let theirs = RsaPrivateKey::from_pkcs8_pem(&keys.rsa_private_pem).unwrap();
        let digest = Sha256::digest(message);
        theirs
            .to_public_key()
            .verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &sig)
            .unwrap();
        let their_sig = theirs.sign(Pkcs1v15Sign::new::<Sha256>(), &digest).unwrap();
        assert!(public.verify(message, &their_sig));
    }

    #[test]
    fn unreadable_keys_are_refused() {
        assert!(PublicKey::from_pem("not a key").is_none());
        assert!(PrivateKey::from_pem(
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
        )
        .is_none());
        let keys = crate::domain::keys::generate().unwrap();
        // A public key is not a private key, and the other way round.
        assert!(PrivateKey::from_pem(&keys.rsa_public_pem).is_none());
        assert!(PublicKey::from_pem(&keys.rsa_private_pem).is_none());
    }

    #[test]
    fn a_rotated_local_key_is_parsed_again() {
        let cache = LocalKeys::new(4);
        let (a, b) = (
            crate::domain::keys::generate().unwrap(),
            crate::domain::keys::generate().unwrap(),
        );
        let first = cache.get("https://x/u/a", &a.rsa_private_pem).unwrap();
        let again = cache.get("https://x/u/a", &a.rsa_private_pem).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        let rotated = cache.get("https://x/u/a", &b.rsa_private_pem).unwrap();
        assert_eq!(rotated.0, b.rsa_private_pem);
        let sig = rotated.1.sign(b"m").unwrap();
        assert!(PublicKey::from_pem(&b.rsa_public_pem)
            .unwrap()
            .verify(b"m", &sig));
        assert!(!PublicKey::from_pem(&a.rsa_public_pem)
            .unwrap()
            .verify(b"m", &sig));
    }
}
