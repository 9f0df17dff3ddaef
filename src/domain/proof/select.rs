//! Reading a received proof: which one to check, its members, and the two objects to hash.

use ed25519_dalek::Signature;
use serde_json::{Map, Value};

use super::{ProofError, CRYPTOSUITE, PROOF_TYPE};

/// A received proof taken apart: the configuration to hash and what the signature check needs.
pub(super) struct Parts {
    /// The proof without `proofValue`.
    pub config: Map<String, Value>,
    pub signature: Signature,
    pub verification_method: String,
    pub proof_purpose: String,
    pub created: Option<String>,
}

/// The proof to check: `proof` itself, or in a proof set the first of this cryptosuite. When a set
/// holds none, the error names the first member's suite, which is what the sender used.
pub(super) fn our_proof(doc: &Map<String, Value>) -> Result<&Map<String, Value>, ProofError> {
    match doc.get("proof") {
        None | Some(Value::Null) => Err(ProofError::MissingProof),
        Some(Value::Array(proofs)) => {
            let first = proofs.first().ok_or(ProofError::MissingProof)?;
            match proofs
                .iter()
                .filter_map(Value::as_object)
                .find(|p| is_ours(p))
            {
                Some(proof) => Ok(proof),
                None => Err(suite_error(
                    first.as_object().ok_or(ProofError::ProofNotAnObject)?,
                )),
            }
        }
        Some(Value::Object(proof)) => Ok(proof),
        Some(_) => Err(ProofError::ProofNotAnObject),
    }
}

/// Whether a proof is `DataIntegrityProof` with `eddsa-jcs-2022`.
pub(super) fn is_ours(proof: &Map<String, Value>) -> bool {
    proof.get("type").and_then(Value::as_str) == Some(PROOF_TYPE)
        && proof.get("cryptosuite").and_then(Value::as_str) == Some(CRYPTOSUITE)
}

/// The refusal for a proof that is not `DataIntegrityProof` with `eddsa-jcs-2022`.
fn suite_error(proof: &Map<String, Value>) -> ProofError {
    let text = |key: &str| {
        proof
            .get(key)
            .map(describe)
            .unwrap_or_else(|| "none".into())
    };
    if proof.get("type").and_then(Value::as_str) != Some(PROOF_TYPE) {
        ProofError::WrongType(text("type"))
    } else {
        ProofError::UnsupportedCryptosuite(text("cryptosuite"))
    }
}

fn describe(value: &Value) -> String {
    let text = value
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| value.to_string());
    text.chars().take(64).collect()
}

/// Checks the proof's members and decodes its signature.
pub(super) fn parse(proof: &Map<String, Value>) -> Result<Parts, ProofError> {
    if !is_ours(proof) {
        return Err(suite_error(proof));
    }
    if proof.contains_key("previousProof") {
        return Err(ProofError::ChainedProof);
    }
    let verification_method = required(proof, "verificationMethod")?;
    let proof_purpose = required(proof, "proofPurpose")?;
    let created = match proof.get("created") {
        None => None,
        Some(Value::String(s)) => {
            check_created(s)?;
            Some(s.clone())
        }
        Some(_) => return Err(ProofError::NotAString("created")),
    };
    let value = match proof.get("proofValue") {
        None => return Err(ProofError::MissingMember("proofValue")),
        Some(Value::String(s)) => s,
        Some(_) => return Err(ProofError::MalformedProofValue("not a string")),
    };
    let mut config = proof.clone();
    config.remove("proofValue");
    Ok(Parts {
        config,
        signature: decode_signature(value)?,
        verification_method,
        proof_purpose,
        created,
    })
}

fn required(proof: &Map<String, Value>, key: &'static str) -> Result<String, ProofError> {
    match proof.get(key) {
        None => Err(ProofError::MissingMember(key)),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(ProofError::NotAString(key)),
    }
}

/// `z` + base58btc of exactly 64 signature bytes.
fn decode_signature(value: &str) -> Result<Signature, ProofError> {
    let body = value
        .strip_prefix('z')
        .ok_or(ProofError::MalformedProofValue(
            "not multibase base58btc (z…)",
        ))?;
    let bytes = bs58::decode(body)
        .into_vec()
        .map_err(|_| ProofError::MalformedProofValue("invalid base58"))?;
    let bytes: [u8; 64] = bytes
        .try_into()
        .map_err(|_| ProofError::MalformedProofValue("not a 64-byte Ed25519 signature"))?;
    Ok(Signature::from_bytes(&bytes))
}

/// `created` must be a timestamp with a time zone (an XML Schema dateTimeStamp, as RFC 3339 is).
pub(super) fn check_created(created: &str) -> Result<(), ProofError> {
    chrono::DateTime::parse_from_rfc3339(created)
        .map(|_| ())
        .map_err(|_| ProofError::BadCreated(created.chars().take(64).collect()))
}

/// The document as the signer hashed it: without `proof`, and when the proof carries `@context`,
/// with that `@context`, once the document's is found to start with it.
pub(super) fn unsecured_document(
    doc: &Map<String, Value>,
    config: &Map<String, Value>,
) -> Result<Map<String, Value>, ProofError> {
    let mut unsecured = doc.clone();
    unsecured.remove("proof");
    if let Some(proof_context) = config.get("@context") {
        let doc_context = doc.get("@context").ok_or(ProofError::ContextMismatch)?;
        if !as_list(doc_context).starts_with(as_list(proof_context)) {
            return Err(ProofError::ContextMismatch);
        }
        unsecured.insert("@context".into(), proof_context.clone());
    }
    Ok(unsecured)
}

/// `@context` as a list: a single context is a list of one.
fn as_list(context: &Value) -> &[Value] {
    match context {
        Value::Array(items) => items,
        single => std::slice::from_ref(single),
    }
}
