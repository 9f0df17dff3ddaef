//! Sign and verify with a fresh key; every kind of tampering is refused.
#![allow(clippy::unwrap_used)]

use ed25519_dalek::SigningKey;
use serde_json::Value;

use super::tests_w3c::parse;
use super::{sign, verification_method, verify, ProofError, ASSERTION_METHOD};

pub(super) const VM: &str = "https://cohort.example/users/ann#ed25519-key";
pub(super) const CREATED: &str = "2026-03-01T12:00:00Z";
pub(super) const VOTE: &str = r#"{
  "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v2"],
  "id": "https://cohort.example/votes/1", "type": "Note", "name": "yes",
  "attributedTo": "https://cohort.example/users/ann", "inReplyTo": "https://cohort.example/q/1",
  "weight": 0.5, "to": ["https://www.w3.org/ns/activitystreams#Public"]
}"#;

pub(super) struct Fixture {
    pub(super) key: SigningKey,
    pub(super) signed: Value,
}

impl Fixture {
    pub(super) fn new() -> Self {
        let key = SigningKey::generate(&mut rand::rngs::OsRng);
        let signed = sign(&parse(VOTE), &key, VM, CREATED, ASSERTION_METHOD).unwrap();
        Self { key, signed }
    }

    /// Verifies with this fixture's key for [`VM`] only.
    pub(super) fn check(&self, doc: &Value) -> Result<super::Verified, ProofError> {
        let public = self.key.verifying_key().to_bytes();
        verify(doc, |vm| (vm == VM).then_some(public))
    }

    /// Verifies with this fixture's key whatever the verificationMethod says.
    pub(super) fn check_any(&self, doc: &Value) -> Result<super::Verified, ProofError> {
        let public = self.key.verifying_key().to_bytes();
        verify(doc, |_| Some(public))
    }

    pub(super) fn with(&self, change: impl FnOnce(&mut Value)) -> Value {
        let mut doc = self.signed.clone();
        change(&mut doc);
        doc
    }
}

#[test]
fn round_trip() {
    let f = Fixture::new();
    let verified = f.check(&f.signed).unwrap();
    assert_eq!(verified.verification_method, VM);
    assert_eq!(verified.created.as_deref(), Some(CREATED));
    assert_eq!(f.signed["proof"]["@context"], f.signed["@context"]);
    assert_eq!(verification_method(&f.signed).as_deref(), Some(VM));
}

#[test]
fn without_context_the_proof_has_none() {
    let f = Fixture::new();
    let doc = parse(r#"{"type": "Like", "object": "https://x.example/1"}"#);
    let signed = sign(&doc, &f.key, VM, CREATED, ASSERTION_METHOD).unwrap();
    assert!(signed["proof"].get("@context").is_none());
    assert!(f.check(&signed).is_ok());
}

#[test]
fn tampering_is_refused() {
    let f = Fixture::new();
    let bad = Err(ProofError::BadSignature);
    assert_eq!(f.check(&f.with(|d| d["name"] = "no".into())), bad);
    assert_eq!(f.check(&f.with(|d| d["weight"] = 0.75.into())), bad);
    assert_eq!(
        f.check(&f.with(|d| d["proof"]["created"] = "2026-03-01T12:00:01Z".into())),
        bad
    );
    assert_eq!(
        f.check(&f.with(|d| d["proof"]["proofPurpose"] = "authentication".into())),
        bad
    );
    assert_eq!(
        f.check_any(&f.with(|d| d["proof"]["verificationMethod"] =
            "https://cohort.example/users/bob#ed25519-key".into())),
        bad
    );
    assert_eq!(f.check(&f.with(|d| d["cc"] = Value::Array(vec![]))), bad);
    assert_eq!(
        f.check(&f.with(|d| d["proof"]["domain"] = "x.example".into())),
        bad
    );
    let other = SigningKey::generate(&mut rand::rngs::OsRng)
        .verifying_key()
        .to_bytes();
    assert_eq!(verify(&f.signed, |_| Some(other)), bad);
}

#[test]
fn unknown_verification_method_is_named() {
    let f = Fixture::new();
    let moved = f.with(|d| d["proof"]["verificationMethod"] = "https://evil.example/k".into());
    assert_eq!(
        f.check(&moved),
        Err(ProofError::UnknownKey("https://evil.example/k".into()))
    );
}

#[test]
fn document_context_may_extend_the_proof_context_only_at_the_end() {
    let f = Fixture::new();
    let mut shuffled = f.signed["@context"].as_array().unwrap().clone();
    shuffled.reverse();
    let reordered = f.with(|d| d["@context"] = Value::Array(shuffled));
    assert_eq!(f.check(&reordered), Err(ProofError::ContextMismatch));
    let dropped = f.with(|d| {
        d.as_object_mut().unwrap().remove("@context");
    });
    assert_eq!(f.check(&dropped), Err(ProofError::ContextMismatch));
    // The spec lets a document append contexts after the proof's (for proof sets); the proof
    // then covers the document with the proof's own @context.
    let appended = f.with(|d| {
        d["@context"]
            .as_array_mut()
            .unwrap()
            .push("https://example.org/later".into());
    });
    assert!(f.check(&appended).is_ok());
}
