//! The published test vectors: W3C "Data Integrity EdDSA Cryptosuites v1.0" (the eddsa-jcs-2022
//! representation of the alumni credential, with the spec's key pair), reproduced byte for byte:
//! canonical forms, hashes, signature and the signed document.
#![allow(clippy::unwrap_used)]

use ed25519_dalek::SigningKey;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::{hash, sign, verify, ASSERTION_METHOD};
use crate::domain::keys::{ed25519_from_multibase, hex_encode};

/// The spec's published key pair (vc-di-eddsa, TestVectors/keyPair.json).
pub(super) const SPEC_PUBLIC: &str = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
const SPEC_SECRET: &str = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
const SPEC_VM: &str = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
pub(super) const CREATED: &str = "2023-02-24T23:36:38Z";

pub(super) const SIGNED: &str = r#"{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
  "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
  "type": ["VerifiableCredential", "AlumniCredential"],
  "name": "Alumni Credential",
  "description": "A minimum viable example of an Alumni Credential.",
  "issuer": "https://vc.example/issuers/5678",
  "validFrom": "2023-01-01T00:00:00Z",
  "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
  "proof": {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-jcs-2022",
    "created": "2023-02-24T23:36:38Z",
    "verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    "proofPurpose": "assertionMethod",
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "proofValue": "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"
  }
}"#;

const CANON_DOC: &str = r#"{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"credentialSubject":{"alumniOf":"The School of Examples","id":"did:example:abcdefgh"},"description":"A minimum viable example of an Alumni Credential.","id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","issuer":"https://vc.example/issuers/5678","name":"Alumni Credential","type":["VerifiableCredential","AlumniCredential"],"validFrom":"2023-01-01T00:00:00Z"}"#;
const CANON_PROOF: &str = r#"{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"created":"2023-02-24T23:36:38Z","cryptosuite":"eddsa-jcs-2022","proofPurpose":"assertionMethod","type":"DataIntegrityProof","verificationMethod":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}"#;
const PROOF_HASH: &str = "66ab154f5c2890a140cb8388a22a160454f80575f6eae09e5a097cabe539a1db";
const DOC_HASH: &str = "59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19";
const SIG_HEX: &str = "407cd12654b33d718ecbb99179a1506daaa849450bf3fc523cce3e1c96f8b80351da3f253d725c6f00b07c9e5448d50b3ef78012b9ab54255116d069c6dd2808";
const PROOF_VALUE: &str =
    "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX";

pub(super) fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// The spec's secret key: multicodec ed25519-priv (varint 0x1300) + the 32-byte seed.
pub(super) fn spec_key() -> SigningKey {
    let bytes = bs58::decode(&SPEC_SECRET[1..]).into_vec().unwrap();
    let seed: [u8; 32] = bytes
        .strip_prefix(&[0x80, 0x26])
        .unwrap()
        .try_into()
        .unwrap();
    SigningKey::from_bytes(&seed)
}

pub(super) fn spec_public() -> [u8; 32] {
    ed25519_from_multibase(SPEC_PUBLIC).unwrap()
}

pub(super) fn without_proof(doc: &Value) -> Value {
    let mut doc = doc.clone();
    doc.as_object_mut().unwrap().remove("proof");
    doc
}

fn object(value: &Value) -> &Map<String, Value> {
    value.as_object().unwrap()
}

#[test]
fn spec_key_pair_matches() {
    assert_eq!(spec_key().verifying_key().to_bytes(), spec_public());
}

#[test]
fn intermediate_values_match_the_spec() {
    let signed = parse(SIGNED);
    let unsecured = without_proof(&signed);
    let mut config = object(&signed["proof"]).clone();
    config.remove("proofValue");
    assert_eq!(
        String::from_utf8(hash::canonical(object(&unsecured)).unwrap()).unwrap(),
        CANON_DOC
    );
    assert_eq!(
        String::from_utf8(hash::canonical(&config).unwrap()).unwrap(),
        CANON_PROOF
    );
    assert_eq!(hex_encode(&Sha256::digest(CANON_PROOF)), PROOF_HASH);
    assert_eq!(hex_encode(&Sha256::digest(CANON_DOC)), DOC_HASH);
    let data = hash::hash_data(&config, object(&unsecured)).unwrap();
    assert_eq!(hex_encode(&data), format!("{PROOF_HASH}{DOC_HASH}"));
}

#[test]
fn signing_reproduces_the_spec_proof() {
    let signed = parse(SIGNED);
    let ours = sign(
        &without_proof(&signed),
        &spec_key(),
        SPEC_VM,
        CREATED,
        ASSERTION_METHOD,
    )
    .unwrap();
    assert_eq!(ours["proof"]["proofValue"], PROOF_VALUE);
    let sig = bs58::decode(&PROOF_VALUE[1..]).into_vec().unwrap();
    assert_eq!(hex_encode(&sig), SIG_HEX);
    assert_eq!(ours, signed);
}

#[test]
fn the_spec_document_verifies() {
    let verified = verify(&parse(SIGNED), |vm| (vm == SPEC_VM).then(spec_public)).unwrap();
    assert_eq!(verified.verification_method, SPEC_VM);
    assert_eq!(verified.created.as_deref(), Some(CREATED));
    assert_eq!(verified.proof_purpose, ASSERTION_METHOD);
}
