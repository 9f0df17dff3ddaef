//! The bytes an `eddsa-jcs-2022` signature covers: JCS (RFC 8785) of the proof configuration and
//! of the unsecured document, each hashed with SHA-256, configuration hash first.
//!
//! JCS comes from `serde_json_canonicalizer`: it sorts members by UTF-16 code units, formats every
//! number the ECMAScript way (through `ryu-js`) and escapes strings as RFC 8785 says; the tests in
//! this module pin those three rules.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::ProofError;

/// The RFC 8785 canonical form of a JSON object, as UTF-8 bytes.
pub(super) fn canonical(object: &Map<String, Value>) -> Result<Vec<u8>, ProofError> {
    serde_json_canonicalizer::to_vec(object).map_err(|e| ProofError::Canonicalize(e.to_string()))
}

/// `SHA-256(JCS(proof_config)) || SHA-256(JCS(unsecured))`: the data Ed25519 signs.
pub(super) fn hash_data(
    proof_config: &Map<String, Value>,
    unsecured: &Map<String, Value>,
) -> Result<[u8; 64], ProofError> {
    let mut data = [0u8; 64];
    data[..32].copy_from_slice(&Sha256::digest(canonical(proof_config)?));
    data[32..].copy_from_slice(&Sha256::digest(canonical(unsecured)?));
    Ok(data)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn jcs(text: &str) -> String {
        let value: Value = serde_json::from_str(text).unwrap();
        String::from_utf8(canonical(value.as_object().unwrap()).unwrap()).unwrap()
    }

    #[test]
    fn numbers_are_formatted_as_ecmascript_does() {
        // Examples from RFC 8785 appendix B and section 3.2.2.3.
        let got = jcs(
            r#"{"a":[1.0,-0.0,1e21,1e-7,0.000001,123456789012345680000,4.5,2e-3,333333333.33333329,1E30,9007199254740993]}"#,
        );
        assert_eq!(
            got,
            r#"{"a":[1,0,1e+21,1e-7,0.000001,123456789012345680000,4.5,0.002,333333333.3333333,1e+30,9007199254740992]}"#
        );
    }

    #[test]
    fn members_are_sorted_by_utf16_code_units() {
        // RFC 8785 section 3.2.3: U+1F600 (surrogates D83D DE00) sorts before U+FB33 in UTF-16,
        // though after it in UTF-8 or by code point.
        let got = jcs(r#"{"\ufb33":1,"\ud83d\ude00":2,"\u0080":3,"1":4,"\r":5,"a":6,"A":7}"#);
        assert_eq!(
            got,
            "{\"\\r\":5,\"1\":4,\"A\":7,\"a\":6,\"\u{80}\":3,\"😀\":2,\"\u{fb33}\":1}"
        );
    }

    #[test]
    fn strings_are_escaped_minimally() {
        let got = jcs(r#"{"s":"\u0000\u001f\b\t\n\f\r\"\\/\u007f\u20ac"}"#);
        assert_eq!(
            got,
            "{\"s\":\"\\u0000\\u001f\\b\\t\\n\\f\\r\\\"\\\\/\u{7f}€\"}"
        );
    }

    #[test]
    fn nested_objects_and_whitespace() {
        let got = jcs("{ \"b\" : [ {\"d\":true, \"c\":null} ], \"a\" : {} }");
        assert_eq!(got, r#"{"a":{},"b":[{"c":null,"d":true}]}"#);
    }
}
