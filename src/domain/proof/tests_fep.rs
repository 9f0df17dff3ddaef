//! FEP-8b32's published vector (the W3C spec's key signing an ActivityStreams Create with decimal
//! numbers), and tampering with any member of either published vector.
#![allow(clippy::unwrap_used)]

use serde_json::Value;

use super::tests_w3c::{parse, spec_key, spec_public, without_proof, CREATED, SIGNED};
use super::{sign, verify, ASSERTION_METHOD};

/// FEP-8b32's "Signing document" scenario, signed with the same key.
const FEP_SIGNED: &str = r#"{
  "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v2"],
  "id": "https://server.example/activities/1",
  "type": "Create",
  "actor": "https://server.example/users/alice",
  "object": {
    "id": "https://server.example/objects/1",
    "type": "Note",
    "attributedTo": "https://server.example/users/alice",
    "content": "Hello world",
    "location": {"type": "Place", "longitude": -71.184902, "latitude": 25.273962}
  },
  "proof": {
    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v2"],
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-jcs-2022",
    "verificationMethod": "https://server.example/users/alice#ed25519-key",
    "proofPurpose": "assertionMethod",
    "proofValue": "z42ffGu6AUKPCFcFPiabmUvnGLPJzC7e4DGWC52NUasSSH37UMa9c58tdgVszUcZfytxa4fQ5TYHaJENCxUDe9SdL",
    "created": "2023-02-24T23:36:38Z"
  }
}"#;

#[test]
fn fep_8b32_vector_signs_and_verifies() {
    let signed = parse(FEP_SIGNED);
    let vm = "https://server.example/users/alice#ed25519-key";
    let ours = sign(
        &without_proof(&signed),
        &spec_key(),
        vm,
        CREATED,
        ASSERTION_METHOD,
    )
    .unwrap();
    assert_eq!(ours, signed);
    assert!(verify(&signed, |_| Some(spec_public())).is_ok());
}

/// Every string, number and boolean of both signed vectors, changed one at a time, breaks the proof.
#[test]
fn changing_any_member_fails() {
    for text in [SIGNED, FEP_SIGNED] {
        let signed = parse(text);
        let mut paths = Vec::new();
        leaves(&signed, String::new(), &mut paths);
        assert!(paths.len() > 12, "{paths:?}");
        for path in paths {
            let mut tampered = signed.clone();
            let leaf = tampered.pointer_mut(&path).unwrap();
            *leaf = match leaf.take() {
                Value::String(s) => Value::String(format!("{s}x")),
                Value::Number(n) => (n.as_f64().unwrap() + 1.0).into(),
                other => Value::String(format!("{other}")),
            };
            let result = verify(&tampered, |_| Some(spec_public()));
            assert!(result.is_err(), "tampering {path} was not noticed");
        }
    }
}

fn leaves(value: &Value, path: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| leaves(v, format!("{path}/{k}"), out)),
        Value::Array(items) => {
            items
                .iter()
                .enumerate()
                .for_each(|(i, v)| leaves(v, format!("{path}/{i}"), out));
        }
        _ => out.push(path),
    }
}
