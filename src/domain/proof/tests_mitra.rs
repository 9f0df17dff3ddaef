//! Proofs as Mitra emits them (the shared fixtures, read in place from `../shared`).
//!
//! The fixtures were captured from live mitra.social actors whose public keys are published only
//! in those actors' documents, which no fixture, test vector or repository we can reach holds. So
//! these tests check everything up to the key: the proof is found and parsed, its cryptosuite is
//! recognised, its proofValue decodes to a 64-byte signature, the unknown key is refused by name,
//! and a wrong key fails the signature check. They do not claim that these captured signatures
//! verify; the proofs Mitra publishes in its own test suite do, in `tests_mitra_vectors.rs`.
//! They also sign Mitra's documents (their real shape: nanosecond `created`, a map in `@context`,
//! no `@context` in the proof) with a test key, and check that the result verifies and its tampered
//! copy fails.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use serde_json::Value;

use super::tests_w3c::{spec_key, spec_public};
use super::{sign, verification_method, verify, ProofError, ASSERTION_METHOD};

/// A Mitra fixture, or `None` (after a loud line) when `../shared` is absent outside CI.
fn fixture(name: &str) -> Option<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/activitypub/mitra/activities")
        .join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).unwrap()),
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("fixture {} is missing in CI: {e}", path.display())
        }
        Err(_) => {
            eprintln!(
                "\n!!! SKIPPING: ../shared fixtures not present ({})\n",
                path.display()
            );
            None
        }
    }
}

const FIXTURES: [(&str, &str); 2] = [
    (
        "create_post.json",
        "https://mitra.social/users/test#ed25519-key",
    ),
    (
        "accept.json",
        "https://mitra.social/users/localtestgroup#ed25519-key",
    ),
];

#[test]
fn mitra_proofs_parse_up_to_the_key() {
    for (name, vm) in FIXTURES {
        let Some(doc) = fixture(name) else { return };
        assert_eq!(verification_method(&doc).as_deref(), Some(vm), "{name}");
        let asked = std::cell::RefCell::new(Vec::new());
        let result = verify(&doc, |id| {
            asked.borrow_mut().push(id.to_owned());
            None
        });
        assert_eq!(result, Err(ProofError::UnknownKey(vm.into())), "{name}");
        assert_eq!(asked.into_inner(), [vm], "{name}");
    }
}

#[test]
fn mitra_proofs_fail_with_a_wrong_key() {
    for (name, _) in FIXTURES {
        let Some(doc) = fixture(name) else { return };
        let result = verify(&doc, |_| Some(spec_public()));
        assert_eq!(result, Err(ProofError::BadSignature), "{name}");
    }
}

#[test]
fn mitra_documents_resigned_verify_and_tampering_fails() {
    for (name, vm) in FIXTURES {
        let Some(doc) = fixture(name) else { return };
        let mut body = doc.clone();
        let created = body["proof"]["created"].as_str().unwrap().to_owned();
        body.as_object_mut().unwrap().remove("proof");
        let signed = sign(&body, &spec_key(), vm, &created, ASSERTION_METHOD).unwrap();
        let verified = verify(&signed, |id| (id == vm).then(spec_public)).unwrap();
        assert_eq!(verified.created.as_deref(), Some(created.as_str()));

        let mut tampered = signed.clone();
        tampered["to"] = Value::Array(vec!["https://attacker.example/u/eve".into()]);
        assert_eq!(
            verify(&tampered, |_| Some(spec_public())),
            Err(ProofError::BadSignature)
        );
    }
}
