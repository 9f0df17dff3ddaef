//! Object integrity proofs (FEP-8b32): W3C Data Integrity proofs with the `eddsa-jcs-2022`
//! cryptosuite, so a document carries its author's signature wherever it travels (relayed votes,
//! decisions, endorsements, badges), independent of the HTTP signature of the delivery.
//!
//! Pure: JSON and keys in, a signed document or a verification result out. Imports nothing outside
//! `domain`; the caller finds keys (an actor's `assertionMethod`, decoded with
//! [`crate::domain::keys::ed25519_from_multibase`]) and passes them in as raw bytes.
//!
//! The algorithm (W3C "Data Integrity EdDSA Cryptosuites v1.0", section eddsa-jcs-2022): the proof
//! configuration is the proof without `proofValue`; the unsecured document is the document without
//! `proof`; both are canonicalized with JCS (RFC 8785) and hashed with SHA-256, and the Ed25519
//! signature covers `SHA-256(config) || SHA-256(document)`. `proofValue` is the signature as
//! multibase base58btc (`z…`).
//!
//! Choices where the specification leaves room:
//! - `proof` may be an array (a proof set). [`verify`] checks the first proof whose `type` is
//!   `DataIntegrityProof` and `cryptosuite` is `eddsa-jcs-2022`, against the document with the whole
//!   `proof` member removed (what every member of a proof set signs). Chained proofs
//!   (`previousProof`) are refused as unsupported rather than reported as a bad signature.
//! - A proof that carries `@context` is checked as the spec says: the document's `@context` must
//!   start with the proof's, in order, and the document is hashed with the proof's `@context`. A
//!   proof without `@context` (as Mitra sends) is hashed exactly as received. So a document may
//!   gain contexts after the proof's and still verify; Cohort reads plain JSON, not JSON-LD, so
//!   appended contexts change nothing it reads.
//! - [`sign`] refuses a document that already has a `proof`: adding to a proof set is not needed
//!   yet, and silently replacing a signature would hide a mistake.

mod error;
mod hash;
mod select;

#[cfg(test)]
mod tests_fep;
#[cfg(test)]
mod tests_malformed;
#[cfg(test)]
mod tests_mitra;
#[cfg(test)]
mod tests_mitra_vectors;
#[cfg(test)]
mod tests_roundtrip;
#[cfg(test)]
mod tests_w3c;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde_json::{Map, Value};

pub use error::ProofError;

/// The proof `type` this module writes and accepts.
pub const PROOF_TYPE: &str = "DataIntegrityProof";
/// The one cryptosuite this module implements.
pub const CRYPTOSUITE: &str = "eddsa-jcs-2022";
/// The proof purpose of ordinary statements by an actor (votes, decisions, posts).
pub const ASSERTION_METHOD: &str = "assertionMethod";

/// What a valid proof tells the caller: which key signed, when it says it did, and for what, so
/// the caller can check that the key belongs to the document's actor and the purpose fits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The `verificationMethod` id whose key checked the signature.
    pub verification_method: String,
    /// The proof's `created` timestamp as sent (RFC 3339), when it has one.
    pub created: Option<String>,
    /// The proof's `proofPurpose`, usually `assertionMethod`.
    pub proof_purpose: String,
}

/// Returns `doc` with a `proof` member signed by `key`. `created` must be an RFC 3339 timestamp;
/// `proof_purpose` is usually [`ASSERTION_METHOD`]. When the document has an `@context`, the proof
/// repeats it, as the specification requires, so the proof can later join a proof set.
pub fn sign(
    doc: &Value,
    key: &SigningKey,
    verification_method: &str,
    created: &str,
    proof_purpose: &str,
) -> Result<Value, ProofError> {
    let object = doc.as_object().ok_or(ProofError::NotAnObject)?;
    if object.contains_key("proof") {
        return Err(ProofError::AlreadySigned);
    }
    select::check_created(created)?;
    let mut proof = Map::new();
    proof.insert("type".into(), PROOF_TYPE.into());
    proof.insert("cryptosuite".into(), CRYPTOSUITE.into());
    proof.insert("verificationMethod".into(), verification_method.into());
    proof.insert("proofPurpose".into(), proof_purpose.into());
    proof.insert("created".into(), created.into());
    if let Some(context) = object.get("@context") {
        proof.insert("@context".into(), context.clone());
    }
    let data = hash::hash_data(&proof, object)?;
    let signature = key.sign(&data);
    let value = format!("z{}", bs58::encode(signature.to_bytes()).into_string());
    proof.insert("proofValue".into(), value.into());
    let mut signed = object.clone();
    signed.insert("proof".into(), Value::Object(proof));
    Ok(Value::Object(signed))
}

/// Checks the proof of `doc` exactly as received from the wire (no round trip through typed
/// structs, which would drop or reorder what the signer covered). `key_of` maps a
/// `verificationMethod` id to a raw Ed25519 public key, or `None` when the caller knows no such key.
pub fn verify(
    doc: &Value,
    key_of: impl Fn(&str) -> Option<[u8; 32]>,
) -> Result<Verified, ProofError> {
    let object = doc.as_object().ok_or(ProofError::NotAnObject)?;
    let proof = select::our_proof(object)?;
    let parts = select::parse(proof)?;
    let unsecured = select::unsecured_document(object, &parts.config)?;
    let data = hash::hash_data(&parts.config, &unsecured)?;
    let raw = key_of(&parts.verification_method)
        .ok_or_else(|| ProofError::UnknownKey(parts.verification_method.clone()))?;
    let public = VerifyingKey::from_bytes(&raw).map_err(|_| ProofError::InvalidKey)?;
    public
        .verify_strict(&data, &parts.signature)
        .map_err(|_| ProofError::BadSignature)?;
    Ok(Verified {
        verification_method: parts.verification_method,
        created: parts.created,
        proof_purpose: parts.proof_purpose,
    })
}

/// The `verificationMethod` of the proof [`verify`] would check, so the caller knows which key to
/// fetch first. `None` when the document has no proof of this cryptosuite.
pub fn verification_method(doc: &Value) -> Option<String> {
    let proof = select::our_proof(doc.as_object()?).ok()?;
    if !select::is_ours(proof) {
        return None;
    }
    proof
        .get("verificationMethod")
        .and_then(Value::as_str)
        .map(str::to_owned)
}
