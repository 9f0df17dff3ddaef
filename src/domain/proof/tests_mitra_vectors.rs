//! Proofs Mitra publishes in its own test suite, in the shape Mitra emits (no `@context` in the
//! proof): a portable object signed with a `did:key` (the key is in the verification method
//! itself), and an activity signed with the key Mitra's tests derive from a seeded generator.
#![allow(clippy::unwrap_used)]

use super::{sign, verify, ProofError, ASSERTION_METHOD};
use crate::domain::keys::ed25519_from_multibase;
use serde_json::Value;

const DID_KEY: &str = "z6MkvUie7gDQugJmyDQQPhMCCBfKJo7aGvzQYF2BqvFvdwx6";

/// A Note signed by a `did:key` actor (Mitra's portable-object test).
const PORTABLE: &str = r#"{
  "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1"],
  "type": "Note",
  "attributedTo": "ap://did:key:z6MkvUie7gDQugJmyDQQPhMCCBfKJo7aGvzQYF2BqvFvdwx6/actor",
  "id": "ap://did:key:z6MkvUie7gDQugJmyDQQPhMCCBfKJo7aGvzQYF2BqvFvdwx6/testobject",
  "content": "test",
  "proof": {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-jcs-2022",
    "created": "2023-02-24T23:36:38Z",
    "verificationMethod": "did:key:z6MkvUie7gDQugJmyDQQPhMCCBfKJo7aGvzQYF2BqvFvdwx6",
    "proofPurpose": "assertionMethod",
    "proofValue": "z5kjVLvxaFQ4WpdCcM1RbkGqruFUTtYgX89XynSQjH4DYEVUWQhCVKLMRuTByYWqQS8SmxSJKeiBh9f2Y84pbfemn"
  }
}"#;

/// A `did:key` verification method resolves to the key it names.
fn did_key(vm: &str) -> Option<[u8; 32]> {
    let mb = vm.strip_prefix("did:key:")?.split('#').next()?;
    ed25519_from_multibase(mb).ok()
}

#[test]
fn mitra_portable_object_verifies_and_tampering_fails() {
    let doc: Value = serde_json::from_str(PORTABLE).unwrap();
    let ok = verify(&doc, did_key).unwrap();
    assert_eq!(ok.verification_method, format!("did:key:{DID_KEY}"));
    let mut tampered = doc.clone();
    tampered["content"] = Value::String("test!".into());
    assert_eq!(
        verify(&tampered, did_key).unwrap_err(),
        ProofError::BadSignature
    );
}

#[test]
fn mitra_signed_activity_verifies_with_the_seeded_key() {
    // Mitra's tests sign with the Ed25519 key drawn from `StdRng::seed_from_u64(0)` and put no
    // `@context` in the proof (our `sign` copies the document's, as the spec advises; both verify).
    use rand::SeedableRng;
    let key = ed25519_dalek::SigningKey::generate(&mut rand::rngs::StdRng::seed_from_u64(0));
    let public = key.verifying_key().to_bytes();
    let signed: Value = serde_json::from_str(
        r#"{"@context": "https://www.w3.org/ns/activitystreams", "type": "Create",
            "actor": "https://example.org/users/test", "id": "https://example.org/objects/1",
            "to": ["https://example.org/users/yyy", "https://example.org/users/xxx"],
            "object": {"type": "Note", "content": "test"},
            "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
              "created": "2023-02-24T23:36:38Z",
              "verificationMethod": "https://example.org/users/test#main-key",
              "proofPurpose": "assertionMethod",
              "proofValue": "z4vVxpyT57PqoymsDZR9JmNvmkwhgFDY1gh2D54ayzQ5dnBJukvnXKdVcMiTgdsJn4PrivZguS7Ln68QvDknyyACZ"}}"#,
    )
    .unwrap();
    let vm = "https://example.org/users/test#main-key";
    verify(&signed, |k| (k == vm).then_some(public)).unwrap();
    let mut tampered = signed.clone();
    tampered["to"][1] = Value::String("https://example.org/users/zzz".into());
    assert_eq!(
        verify(&tampered, |k| (k == vm).then_some(public)).unwrap_err(),
        ProofError::BadSignature
    );
    // Re-signed by us (with the proof context) it verifies too.
    let mut bare = signed.clone();
    bare.as_object_mut().unwrap().remove("proof");
    let ours = sign(&bare, &key, vm, "2023-02-24T23:36:38Z", ASSERTION_METHOD).unwrap();
    verify(&ours, |k| (k == vm).then_some(public)).unwrap();
}
