//! Actor key material: RSA-2048 for HTTP signatures and Ed25519 for object proofs (FEP-521a Multikey).

use ed25519_dalek::SigningKey;

/// A freshly generated set of keys for a new local actor, as PEM and multibase text.
pub struct ActorKeys {
    pub rsa_public_pem: String,
    pub rsa_private_pem: String,
    /// `z…` multibase (base58btc) of the multicodec-prefixed Ed25519 public key.
    pub ed25519_public_multibase: String,
    /// Hex of the 32-byte Ed25519 secret seed.
    pub ed25519_private_hex: String,
}

/// Errors raised while generating or decoding keys.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("key generation failed: {0}")]
    Generate(String),
    #[error("malformed key: {0}")]
    Malformed(&'static str),
}

/// Multicodec prefix for an Ed25519 public key (0xed, varint-encoded).
const ED25519_PUB_PREFIX: [u8; 2] = [0xed, 0x01];

/// Generates both key pairs. RSA generation takes a noticeable fraction of a second; call it
/// from a blocking context.
pub fn generate() -> Result<ActorKeys, KeyError> {
    let rsa = activitypub_federation::http_signatures::generate_actor_keypair()
        .map_err(|e| KeyError::Generate(e.to_string()))?;
    let signing = SigningKey::generate(&mut rand::rngs::OsRng);
    Ok(ActorKeys {
        rsa_public_pem: rsa.public_key,
        rsa_private_pem: rsa.private_key,
        ed25519_public_multibase: ed25519_multibase(&signing.verifying_key().to_bytes()),
        ed25519_private_hex: hex_encode(&signing.to_bytes()),
    })
}

/// Encodes a raw Ed25519 public key as a FEP-521a `publicKeyMultibase` value.
pub fn ed25519_multibase(public: &[u8; 32]) -> String {
    let mut bytes = ED25519_PUB_PREFIX.to_vec();
    bytes.extend_from_slice(public);
    format!("z{}", bs58::encode(bytes).into_string())
}

/// Decodes a `publicKeyMultibase` value back to the raw Ed25519 key.
pub fn ed25519_from_multibase(s: &str) -> Result<[u8; 32], KeyError> {
    let body = s
        .strip_prefix('z')
        .ok_or(KeyError::Malformed("multibase must be base58btc (z)"))?;
    let bytes = bs58::decode(body)
        .into_vec()
        .map_err(|_| KeyError::Malformed("invalid base58"))?;
    let key = bytes
        .strip_prefix(&ED25519_PUB_PREFIX)
        .ok_or(KeyError::Malformed("not an Ed25519 multikey"))?;
    key.try_into()
        .map_err(|_| KeyError::Malformed("wrong key length"))
}

/// Lower-case hex, used to store the Ed25519 seed as text.
pub fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Inverse of [`hex_encode`].
pub fn hex_decode(s: &str) -> Result<Vec<u8>, KeyError> {
    if !s.len().is_multiple_of(2) {
        return Err(KeyError::Malformed("odd hex length"));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|_| KeyError::Malformed("bad hex")))
        .collect()
}

/// Rebuilds the Ed25519 signing key from its stored hex seed.
pub fn ed25519_signing_key(hex: &str) -> Result<SigningKey, KeyError> {
    let bytes = hex_decode(hex)?;
    let seed: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| KeyError::Malformed("wrong seed length"))?;
    Ok(SigningKey::from_bytes(&seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multikey_round_trip_and_prefix() {
        let keys = generate().unwrap();
        assert!(keys.ed25519_public_multibase.starts_with("z6Mk"));
        assert!(keys.rsa_public_pem.contains("BEGIN PUBLIC KEY"));
        let raw = ed25519_from_multibase(&keys.ed25519_public_multibase).unwrap();
        let signing = ed25519_signing_key(&keys.ed25519_private_hex).unwrap();
        assert_eq!(signing.verifying_key().to_bytes(), raw);
    }

    #[test]
    fn malformed_multikey_rejected() {
        assert!(ed25519_from_multibase("abc").is_err());
        assert!(ed25519_from_multibase("z111").is_err());
        assert!(hex_decode("abc").is_err());
    }
}
