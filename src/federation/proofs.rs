//! Object proofs (FEP-8b32) with actors' Ed25519 keys: signing what this node's actors vouch for
//! (votes, decisions), and checking a peer's proof on the JSON exactly as it was received.

use crate::{
    db::actors::ActorRow,
    domain::{keys, proof, time},
    error::{AppError, AppResult},
    urls,
};
use serde_json::Value;

/// `doc` with a `proof` made with the local actor's Ed25519 key.
pub fn sign_as(actor: &ActorRow, doc: &Value) -> AppResult<Value> {
    let secret = actor
        .ed25519_private
        .as_deref()
        .ok_or_else(|| AppError::internal(format!("{} has no Ed25519 key", actor.ap_id)))?;
    let key = keys::ed25519_signing_key(secret).map_err(AppError::internal)?;
    let created = time::to_rfc3339(time::now_ms());
    proof::sign(
        doc,
        &key,
        &urls::ed25519_key(&actor.ap_id),
        &created,
        proof::ASSERTION_METHOD,
    )
    .map_err(AppError::internal)
}

/// Checks that `doc` carries a valid proof by `actor` (a verification method of the actor's own
/// document, with the key its `assertionMethod` published).
pub fn verify_by(actor: &ActorRow, doc: &Value) -> AppResult<()> {
    let key = actor
        .ed25519_public
        .as_deref()
        .and_then(|k| keys::ed25519_from_multibase(k).ok());
    let owned = |vm: &str| vm.split('#').next() == Some(actor.ap_id.as_str());
    proof::verify(doc, |vm| key.filter(|_| owned(vm)))
        .map(|_| ())
        .map_err(|e| AppError::Forbidden(format!("integrity proof refused: {e}")))
}

/// Whether `doc` has a `proof` at all.
pub fn has_proof(doc: &Value) -> bool {
    doc.get("proof").is_some()
}
