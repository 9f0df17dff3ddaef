//! Why a proof could not be made or was refused. The messages reach peers as refusal reasons and
//! the audit log, so each names the fault plainly and never echoes key material.

/// A failure to sign a document or a refusal of a received proof.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProofError {
    #[error("the document is not a JSON object")]
    NotAnObject,
    #[error("the document already carries a proof")]
    AlreadySigned,
    #[error("the document has no proof")]
    MissingProof,
    #[error("the proof is not a JSON object")]
    ProofNotAnObject,
    #[error("unsupported proof type {0:?} (expected DataIntegrityProof)")]
    WrongType(String),
    #[error("unsupported cryptosuite {0:?} (expected eddsa-jcs-2022)")]
    UnsupportedCryptosuite(String),
    #[error("chained proofs (previousProof) are not supported")]
    ChainedProof,
    #[error("the proof has no {0}")]
    MissingMember(&'static str),
    #[error("the proof member {0} is not a string")]
    NotAString(&'static str),
    #[error("the proof's created time {0:?} is not an RFC 3339 timestamp")]
    BadCreated(String),
    #[error("malformed proofValue: {0}")]
    MalformedProofValue(&'static str),
    #[error("the proof's @context is not a prefix of the document's @context")]
    ContextMismatch,
    #[error("no known key for verification method {0:?}")]
    UnknownKey(String),
    #[error("the key for the verification method is not a valid Ed25519 public key")]
    InvalidKey,
    #[error("the proof's signature does not match the document")]
    BadSignature,
    #[error("the document cannot be canonicalized: {0}")]
    Canonicalize(String),
}
