//! `zigttp verify <url>`: fetch a service's well-known attestation
//! document and check it.
//!
//! Checks, in order: the document is JSON of the known shape; the JWS
//! verifies with the key in its header and `kid` is that key's
//! fingerprint; the document's `publicKey` is that same key; the SHA-256
//! of the contract bytes received equals the `contractSha256` claim; with
//! `--trust-key`, the fingerprint is the pinned one.
//!
//! Exit codes ([`Failure::code`]): 0 verified, 2 bad argument, 3 service
//! unreachable (connect, DNS, timeout, or an error status other than 404),
//! 4 attestation missing (404) or malformed, 5 signature or hash check
//! failed, 6 signed by a key other than the pinned one.

use super::jws::{self, CLAIMS_VERSION, Claims, JwsError};
use super::well_known::PATH;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use std::time::Duration;
use zigts_vm::modules::{FetchLimits, http_get};

pub const EXIT_ARGUMENT: u8 = 2;
pub const EXIT_UNREACHABLE: u8 = 3;
pub const EXIT_MISSING: u8 = 4;
pub const EXIT_INVALID: u8 = 5;
pub const EXIT_KEY_MISMATCH: u8 = 6;

/// Why verification failed, with its exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

fn fail(code: u8, message: impl Into<String>) -> Failure {
    Failure {
        code,
        message: message.into(),
    }
}

/// A service that verified.
#[derive(Debug)]
pub struct Report {
    pub url: String,
    pub fingerprint: String,
    pub claims: Claims,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Document<'a> {
    v: String,
    attest: String,
    #[serde(borrow)]
    contract: &'a RawValue,
    public_key: DocumentKey,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentKey {
    kty: String,
    crv: String,
    x: String,
    kid: String,
}

/// The document's URL for what the user typed: a service's base URL gets
/// the well-known path appended; a URL that already ends with it is kept.
pub fn document_url(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    if trimmed.ends_with(PATH) {
        trimmed.to_owned()
    } else {
        format!("{trimmed}{PATH}")
    }
}

/// Fetches and checks the attestation of the service at `url`;
/// `trust_key` is a normalized pin.
pub fn verify_url(
    url: &str,
    trust_key: Option<&str>,
    timeout: Duration,
) -> Result<Report, Failure> {
    let doc_url = document_url(url);
    let limits = FetchLimits {
        connect_timeout: timeout,
        total_timeout: timeout,
        max_response_bytes: 4 << 20,
    };
    let response = http_get(&doc_url, limits).map_err(|(code, details)| match code {
        "InvalidUrl" | "UnsupportedScheme" => fail(
            EXIT_ARGUMENT,
            format!("{url}: {details} (only http:// URLs are supported)"),
        ),
        _ => fail(EXIT_UNREACHABLE, format!("{doc_url}: {code}: {details}")),
    })?;
    match response.status {
        200 => {}
        404 => {
            return Err(fail(
                EXIT_MISSING,
                format!("{doc_url}: 404, the service serves no attestation"),
            ));
        }
        s => {
            return Err(fail(
                EXIT_UNREACHABLE,
                format!("{doc_url}: the service answered {s}"),
            ));
        }
    }
    check_document(&response.body, trust_key).map(|(fingerprint, claims)| Report {
        url: doc_url,
        fingerprint,
        claims,
    })
}

/// Checks a well-known document's bytes; returns the key fingerprint and
/// the claims.
pub fn check_document(body: &[u8], trust_key: Option<&str>) -> Result<(String, Claims), Failure> {
    let doc: Document = serde_json::from_slice(body)
        .map_err(|e| fail(EXIT_MISSING, format!("malformed attestation document: {e}")))?;
    if doc.v != CLAIMS_VERSION {
        return Err(fail(
            EXIT_MISSING,
            format!(
                "malformed attestation document: version {:?}, expected {CLAIMS_VERSION:?}",
                doc.v
            ),
        ));
    }
    let verified = jws::verify(&doc.attest).map_err(|e| match e {
        JwsError::Malformed(_) => fail(EXIT_MISSING, e.to_string()),
        JwsError::Signature => fail(EXIT_INVALID, e.to_string()),
    })?;
    let key = &doc.public_key;
    let same_key = key.kty == "OKP"
        && key.crv == "Ed25519"
        && URL_SAFE_NO_PAD.decode(&key.x).ok().as_deref() == Some(&verified.public_key[..])
        && key.kid == verified.fingerprint;
    if !same_key {
        return Err(fail(
            EXIT_INVALID,
            "the document's publicKey is not the key that signed the attestation",
        ));
    }
    let contract_hash = zigts_verifier::hex(&Sha256::digest(doc.contract.get().as_bytes()));
    if contract_hash != verified.claims.contract_sha256 {
        return Err(fail(
            EXIT_INVALID,
            format!(
                "the contract served hashes to {contract_hash}, but the attestation signs contractSha256 {}",
                verified.claims.contract_sha256
            ),
        ));
    }
    if let Some(pin) = trust_key.filter(|&pin| verified.fingerprint != pin) {
        return Err(fail(
            EXIT_KEY_MISMATCH,
            format!(
                "signed by key {}, not the trusted key {pin}",
                verified.fingerprint
            ),
        ));
    }
    Ok((verified.fingerprint, verified.claims))
}

impl Report {
    /// The human-readable lines.
    pub fn render(&self) -> String {
        let c = &self.claims;
        let props = if c.properties.is_empty() {
            "(none)".to_owned()
        } else {
            c.properties.join(", ")
        };
        format!(
            "verified: {}\n  key fingerprint  {}\n  bytecode sha256  {}\n  contract sha256  {}\n  policy sha256    {}\n  capability hash  {}\n  properties       {props}\n  routes           {}\n  signed by        {}\n  signed at (unix) {}\n",
            self.url,
            self.fingerprint,
            c.bytecode_sha256,
            c.contract_sha256,
            c.policy_sha256,
            c.capability_hash,
            c.routes_count,
            c.runtime_version,
            c.signed_at
        )
    }

    /// One JSON object: `url`, `keyFingerprint` and the claims.
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "url": self.url,
            "keyFingerprint": self.fingerprint,
            "claims": self.claims,
        })
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_urls() {
        assert_eq!(
            document_url("http://127.0.0.1:3000"),
            "http://127.0.0.1:3000/.well-known/zigttp-attest"
        );
        assert_eq!(
            document_url("http://h/.well-known/zigttp-attest/"),
            "http://h/.well-known/zigttp-attest"
        );
    }
}
