//! Malformed, missing and foreign proofs, and proof sets.
#![allow(clippy::unwrap_used)]

use serde_json::Value;

use super::tests_roundtrip::{Fixture, CREATED, VM, VOTE};
use super::tests_w3c::parse;
use super::{sign, verification_method, ProofError, ASSERTION_METHOD};

#[test]
fn malformed_proofs_are_refused() {
    let f = Fixture::new();
    let malformed = |v: Value| f.check(&f.with(|d| d["proof"]["proofValue"] = v));
    assert!(matches!(
        malformed("2HnFSSPP".into()),
        Err(ProofError::MalformedProofValue(_))
    ));
    assert!(matches!(
        malformed("z0OIl".into()),
        Err(ProofError::MalformedProofValue(_))
    ));
    assert!(matches!(
        malformed("z2HnFSSPPBzR36".into()),
        Err(ProofError::MalformedProofValue(_))
    ));
    assert!(matches!(
        malformed(7.into()),
        Err(ProofError::MalformedProofValue(_))
    ));
    let cases: [(&str, Value, ProofError); 6] = [
        (
            "cryptosuite",
            "eddsa-rdfc-2022".into(),
            ProofError::UnsupportedCryptosuite("eddsa-rdfc-2022".into()),
        ),
        (
            "type",
            "Ed25519Signature2020".into(),
            ProofError::WrongType("Ed25519Signature2020".into()),
        ),
        (
            "created",
            "yesterday".into(),
            ProofError::BadCreated("yesterday".into()),
        ),
        (
            "verificationMethod",
            Value::Null,
            ProofError::NotAString("verificationMethod"),
        ),
        (
            "previousProof",
            "urn:uuid:1".into(),
            ProofError::ChainedProof,
        ),
        (
            "@context",
            "https://example.org/other".into(),
            ProofError::ContextMismatch,
        ),
    ];
    for (member, value, error) in cases {
        assert_eq!(
            f.check(&f.with(|d| d["proof"][member] = value)),
            Err(error),
            "{member}"
        );
    }
    let removed = f.with(|d| {
        d["proof"].as_object_mut().unwrap().remove("proofValue");
    });
    assert_eq!(
        f.check(&removed),
        Err(ProofError::MissingMember("proofValue"))
    );
}

#[test]
fn missing_proof_and_non_objects_are_refused() {
    let f = Fixture::new();
    let bare = parse(VOTE);
    assert_eq!(f.check(&bare), Err(ProofError::MissingProof));
    assert_eq!(verification_method(&bare), None);
    assert_eq!(
        f.check(&f.with(|d| d["proof"] = "z123".into())),
        Err(ProofError::ProofNotAnObject)
    );
    assert_eq!(f.check(&parse("[1]")), Err(ProofError::NotAnObject));
    assert_eq!(
        sign(&f.signed, &f.key, VM, CREATED, ASSERTION_METHOD),
        Err(ProofError::AlreadySigned)
    );
    assert!(matches!(
        sign(&bare, &f.key, VM, "2026-03-01", ASSERTION_METHOD),
        Err(ProofError::BadCreated(_))
    ));
}

#[test]
fn a_proof_set_uses_the_first_proof_of_this_cryptosuite() {
    let f = Fixture::new();
    let ours = f.signed["proof"].clone();
    let foreign = parse(
        r#"{"type": "DataIntegrityProof", "cryptosuite": "ecdsa-jcs-2019", "proofValue": "z1"}"#,
    );
    let set = f.with(|d| d["proof"] = Value::Array(vec![foreign.clone(), ours.clone()]));
    assert_eq!(f.check(&set).unwrap().verification_method, VM);
    assert_eq!(verification_method(&set).as_deref(), Some(VM));
    let only_foreign = f.with(|d| d["proof"] = Value::Array(vec![foreign]));
    assert_eq!(
        f.check(&only_foreign),
        Err(ProofError::UnsupportedCryptosuite("ecdsa-jcs-2019".into()))
    );
    assert_eq!(verification_method(&only_foreign), None);
    assert_eq!(
        f.check(&f.with(|d| d["proof"] = Value::Array(vec![]))),
        Err(ProofError::MissingProof)
    );
}
