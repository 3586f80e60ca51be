//! `GET /.well-known/zigttp-attest`: the attestation, the contract it
//! signs and the public key, as one JSON document built once at start:
//!
//! `{"v":"zigttp-attest-v1","attest":"<jws>","contract":<contract JSON,
//! byte for byte>,"publicKey":{"kty":"OKP","crv":"Ed25519","x":"<b64url>",
//! "kid":"<fingerprint>"}}`
//!
//! The contract is embedded verbatim so that a client can hash exactly the
//! bytes the `contractSha256` claim covers. A strong `ETag` (the document's
//! SHA-256) lets clients revalidate: `If-None-Match` with it answers 304.

use super::attest::Attested;
use super::jws::CLAIMS_VERSION;
use crate::core::http::{Request, Response, if_none_match};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// Where the document is served.
pub const PATH: &str = "/.well-known/zigttp-attest";
/// The response header that carries the JWS on every handler response.
pub const HEADER: &str = "Zigttp-Attest";

/// The precomputed document.
#[derive(Debug)]
pub struct WellKnown {
    body: Vec<u8>,
    etag: String,
    jws: String,
}

impl WellKnown {
    pub fn new(a: &Attested) -> WellKnown {
        let string = |s: &str| serde_json::Value::from(s).to_string();
        let mut body = Vec::with_capacity(a.jws.len() + a.contract_json.len() + 256);
        body.extend_from_slice(b"{\"v\":");
        body.extend_from_slice(string(CLAIMS_VERSION).as_bytes());
        body.extend_from_slice(b",\"attest\":");
        body.extend_from_slice(string(&a.jws).as_bytes());
        body.extend_from_slice(b",\"contract\":");
        body.extend_from_slice(&a.contract_json);
        body.extend_from_slice(b",\"publicKey\":{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":");
        body.extend_from_slice(string(&URL_SAFE_NO_PAD.encode(a.verified.public_key)).as_bytes());
        body.extend_from_slice(b",\"kid\":");
        body.extend_from_slice(string(&a.verified.fingerprint).as_bytes());
        body.extend_from_slice(b"}}");
        let etag = format!("\"{}\"", zigts_verifier::hex(&Sha256::digest(&body)));
        WellKnown {
            body,
            etag,
            jws: a.jws.clone(),
        }
    }

    /// The JWS for the response header.
    pub fn jws(&self) -> &str {
        &self.jws
    }

    /// Answers a `GET` or `HEAD` of [`PATH`].
    pub fn serve(&self, req: &Request<'_>, res: &mut Response) {
        let _ = res.add_header("ETag", &self.etag);
        let _ = res.add_header("Cache-Control", "no-cache");
        if req
            .header("if-none-match")
            .is_some_and(|h| if_none_match(h, &self.etag))
        {
            res.set_status(304);
            return;
        }
        res.set_status(200);
        let _ = res.add_header("Content-Type", "application/json");
        res.body_mut().extend_from_slice(&self.body);
    }
}
