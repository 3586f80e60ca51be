//! `zigttp:auth`: bearer headers, HS256 JSON Web Tokens (RFC 7519 / RFC
//! 7515), webhook signatures, and constant-time comparison.
//!
//! Only HS256 is supported: a token whose header names any other `alg` (or
//! none) is rejected before its signature is even looked at, which closes
//! the classic algorithm-confusion attacks (RFC 8725 section 3.1). Token
//! times (`exp`, `nbf`) are seconds since the epoch, compared with the host
//! clock.

use super::crypto::hmac_sha256;
use super::{ModFn, str_arg};
use crate::builtins::get_property;
use crate::builtins::result::{err, ok};
use crate::interp::{Vm, to_number};
use crate::trap::{Trap, TrapKind};
use crate::value::Value;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value as Json;

/// `base64url({"alg":"HS256","typ":"JWT"})`: the header every `jwtSign` token carries.
const HEADER_HS256: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/// Longest token `jwtVerify` looks at (a bound on the work an attacker can cause).
const MAX_TOKEN_LEN: usize = 16 * 1024;

/// Why a token was rejected: the error strings of `jwtVerify`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JwtError {
    /// Not three base64url parts, header or claims not a JSON object, or a
    /// non-numeric `exp`/`nbf`.
    Invalid,
    /// The signature does not match (or is not 32 bytes of base64url).
    Signature,
    Expired,
    NotYetValid,
    /// The header's `alg` is missing or not HS256 (or the caller asked for another).
    UnsupportedAlg,
}

impl JwtError {
    pub(crate) fn message(self) -> &'static str {
        match self {
            JwtError::Invalid => "invalid token",
            JwtError::Signature => "invalid signature",
            JwtError::Expired => "token expired",
            JwtError::NotYetValid => "token not yet valid",
            JwtError::UnsupportedAlg => "unsupported alg",
        }
    }
}

/// Compares two byte strings in time that depends only on their lengths:
/// every byte position up to the longer length is visited whatever the
/// contents, and there is no early exit on the first difference.
pub(crate) fn timing_safe_eq(a: &[u8], b: &[u8]) -> bool {
    let n = a.len().max(b.len());
    let mut diff: u8 = 0;
    for i in 0..n {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff = std::hint::black_box(diff | (x ^ y));
    }
    let same_len = std::hint::black_box(a.len() == b.len());
    (diff == 0) & same_len
}

/// An HS256 compact JWS over the claims text exactly as given.
pub(crate) fn sign_hs256(claims_json: &str, key: &[u8]) -> String {
    let mut token = String::with_capacity(HEADER_HS256.len() + claims_json.len() * 4 / 3 + 48);
    token.push_str(HEADER_HS256);
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(claims_json.as_bytes()));
    let mac = hmac_sha256(key, token.as_bytes());
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(mac));
    token
}

fn json_object(bytes: &[u8]) -> Option<serde_json::Map<String, Json>> {
    match serde_json::from_slice::<Json>(bytes).ok()? {
        Json::Object(m) => Some(m),
        _ => None,
    }
}

/// Checks an HS256 token: structure, `alg`, signature (constant time), then
/// `exp`/`nbf` against `now_secs` with `leeway` seconds of tolerance.
/// Answers the claims as JSON text. The claims are only looked at once the
/// signature is known to be good.
pub(crate) fn verify_hs256(
    token: &str,
    key: &[u8],
    now_secs: f64,
    leeway: f64,
) -> Result<String, JwtError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(JwtError::Invalid);
    }
    let mut parts = token.split('.');
    let (Some(header_b64), Some(claims_b64), Some(sig_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Invalid);
    };
    let header = URL_SAFE_NO_PAD
        .decode(header_b64)
        .ok()
        .and_then(|h| json_object(&h))
        .ok_or(JwtError::Invalid)?;
    if header.get("alg").and_then(Json::as_str) != Some("HS256") {
        return Err(JwtError::UnsupportedAlg);
    }
    let sig = URL_SAFE_NO_PAD
        .decode(sig_b64)
        .map_err(|_| JwtError::Signature)?;
    let signing_input = &token[..header_b64.len() + 1 + claims_b64.len()];
    let expected = hmac_sha256(key, signing_input.as_bytes());
    if !timing_safe_eq(&sig, &expected) {
        return Err(JwtError::Signature);
    }
    let claims_bytes = URL_SAFE_NO_PAD
        .decode(claims_b64)
        .map_err(|_| JwtError::Invalid)?;
    let claims = json_object(&claims_bytes).ok_or(JwtError::Invalid)?;
    let time = |name: &str| -> Result<Option<f64>, JwtError> {
        match claims.get(name) {
            None => Ok(None),
            Some(v) => match v.as_f64() {
                Some(t) if t.is_finite() => Ok(Some(t)),
                _ => Err(JwtError::Invalid),
            },
        }
    };
    // RFC 7519 4.1.4: the token must not be accepted on or after `exp`.
    if let Some(exp) = time("exp")?
        && now_secs >= exp + leeway
    {
        return Err(JwtError::Expired);
    }
    // RFC 7519 4.1.5: nor before `nbf`.
    if let Some(nbf) = time("nbf")?
        && now_secs + leeway < nbf
    {
        return Err(JwtError::NotYetValid);
    }
    String::from_utf8(claims_bytes).map_err(|_| JwtError::Invalid)
}

/// `parseBearer(header)`: the token of `Bearer <token>` (scheme
/// case-insensitive), or undefined.
fn parse_bearer(header: &str) -> Option<&str> {
    let header = header.trim_matches(|c: char| c == ' ' || c == '\t');
    let (scheme, token) = header.split_once([' ', '\t'])?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim_start_matches([' ', '\t']);
    (!token.is_empty() && !token.contains(|c: char| c.is_ascii_whitespace())).then_some(token)
}

/// Decodes lowercase or uppercase hex; `None` on anything else.
fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let digit = |b: u8| (b as char).to_digit(16);
    s.as_bytes()
        .chunks(2)
        .map(|p| Some((digit(p[0])? * 16 + digit(p[1])?) as u8))
        .collect()
}

/// `jwtVerify`'s third argument: an algorithm name, or `{alg?, leeway?}`
/// (`leeway` in seconds, also accepted as `clockTolerance`).
fn verify_options<'a>(vm: &mut Vm<'a, '_>, opts: Value<'a>) -> Result<Result<f64, JwtError>, Trap> {
    let (alg, leeway) = match opts {
        Value::Undefined => (Value::Undefined, Value::Undefined),
        Value::Str(_) => (opts, Value::Undefined),
        Value::Object(_) | Value::FrozenObject(_) => {
            let alg = get_property(vm, opts, "alg")?;
            let mut leeway = get_property(vm, opts, "leeway")?;
            if leeway.is_undefined() {
                leeway = get_property(vm, opts, "clockTolerance")?;
            }
            (alg, leeway)
        }
        _ => {
            return Err(Trap::type_error(
                "jwtVerify: options must be an algorithm name or an object",
            ));
        }
    };
    match alg {
        Value::Undefined => {}
        Value::Str("HS256") => {}
        _ => return Ok(Err(JwtError::UnsupportedAlg)),
    }
    let leeway = match leeway {
        Value::Undefined => 0.0,
        v => to_number(vm, v)?,
    };
    if !leeway.is_finite() || leeway < 0.0 {
        return Err(Trap::range_error(
            "jwtVerify: leeway must be a non-negative number of seconds",
        ));
    }
    Ok(Ok(leeway))
}

pub fn call<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let arg = |i: usize| args.get(i).copied().unwrap_or(Value::Undefined);
    Ok(match f {
        ModFn::ParseBearer => match arg(0) {
            Value::Str(h) => parse_bearer(h).map_or(Value::Undefined, Value::Str),
            _ => Value::Undefined,
        },
        ModFn::JwtSign => {
            let claims = match arg(0) {
                Value::Str(s) if json_object(s.as_bytes()).is_some() => s,
                _ => {
                    return Err(Trap::type_error(
                        "jwtSign: the claims must be a JSON object string (pass JSON.stringify(claims))",
                    ));
                }
            };
            let secret = str_arg(vm, args, 1)?;
            Value::Str(vm.arena.alloc_str(&sign_hs256(claims, secret.as_bytes())))
        }
        ModFn::JwtVerify => {
            let Value::Str(token) = arg(0) else {
                return Ok(err(vm, Value::Str(JwtError::Invalid.message())));
            };
            let secret = str_arg(vm, args, 1)?;
            let leeway = match verify_options(vm, arg(2))? {
                Ok(l) => l,
                Err(e) => return Ok(err(vm, Value::Str(e.message()))),
            };
            let now = vm.host.now_ms() / 1000.0;
            match verify_hs256(token, secret.as_bytes(), now, leeway) {
                Ok(claims) => match crate::builtins::json::parse_str(vm, &claims)? {
                    Some(v) => ok(vm, v),
                    None => err(vm, Value::Str(JwtError::Invalid.message())),
                },
                Err(e) => err(vm, Value::Str(e.message())),
            }
        }
        ModFn::VerifyWebhookSignature => {
            let payload = str_arg(vm, args, 0)?;
            let secret = str_arg(vm, args, 1)?;
            let Value::Str(sig) = arg(2) else {
                return Ok(Value::Bool(false));
            };
            let sig = sig.trim();
            let hex = sig
                .get(..7)
                .filter(|p| p.eq_ignore_ascii_case("sha256="))
                .map_or(sig, |_| &sig[7..]);
            let expected = hmac_sha256(secret.as_bytes(), payload.as_bytes());
            Value::Bool(from_hex(hex).is_some_and(|given| timing_safe_eq(&given, &expected)))
        }
        ModFn::TimingSafeEqual => {
            let a = str_arg(vm, args, 0)?;
            let b = str_arg(vm, args, 1)?;
            Value::Bool(timing_safe_eq(a.as_bytes(), b.as_bytes()))
        }
        _ => return Err(Trap::new(TrapKind::Internal, "auth dispatch")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        use std::fmt::Write as _;
        bytes.iter().fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
    }

    /// RFC 4231 section 4: HMAC-SHA256 test cases 1-4, 6 and 7 (case 5
    /// truncates the output and is not an API we offer).
    #[test]
    fn hmac_sha256_rfc4231() {
        let cases: [(Vec<u8>, Vec<u8>, &str); 6] = [
            (
                vec![0x0b; 20],
                b"Hi There".to_vec(),
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            ),
            (
                b"Jefe".to_vec(),
                b"what do ya want for nothing?".to_vec(),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (
                vec![0xaa; 20],
                vec![0xdd; 50],
                "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
            ),
            (
                (1..=25).collect(),
                vec![0xcd; 50],
                "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
            ),
            (
                vec![0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
            (
                vec![0xaa; 131],
                b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".to_vec(),
                "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
            ),
        ];
        for (key, data, want) in cases {
            assert_eq!(hex(&hmac_sha256(&key, &data)), want);
        }
    }

    /// RFC 7519 section 3.1 (signed with the RFC 7515 appendix A.1 HMAC key,
    /// which is binary and so can only be tested below the JS API).
    #[test]
    fn rfc7519_example_token() {
        let key = URL_SAFE_NO_PAD
            .decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
            .unwrap();
        let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let claims = verify_hs256(token, &key, 1_300_819_379.0, 0.0).unwrap();
        assert_eq!(
            claims,
            "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"
        );
        // `exp` is exclusive: at the second itself the token is expired.
        assert_eq!(
            verify_hs256(token, &key, 1_300_819_380.0, 0.0),
            Err(JwtError::Expired)
        );
        assert_eq!(verify_hs256(token, &key, 1_300_819_380.0, 5.0), Ok(claims));
        let mut other = key.clone();
        other[0] ^= 1;
        assert_eq!(
            verify_hs256(token, &other, 0.0, 0.0),
            Err(JwtError::Signature)
        );
    }

    #[test]
    fn algorithm_confusion_is_rejected() {
        // {"alg":"none"} with an empty signature, and HS512 / missing alg headers.
        for header in [
            r#"{"alg":"none"}"#,
            r#"{"alg":"HS512","typ":"JWT"}"#,
            r#"{"typ":"JWT"}"#,
        ] {
            let h = URL_SAFE_NO_PAD.encode(header);
            let c = URL_SAFE_NO_PAD.encode(r#"{"sub":"x"}"#);
            let mac = URL_SAFE_NO_PAD.encode(hmac_sha256(b"k", format!("{h}.{c}").as_bytes()));
            for sig in ["", mac.as_str()] {
                assert_eq!(
                    verify_hs256(&format!("{h}.{c}.{sig}"), b"k", 0.0, 0.0),
                    Err(JwtError::UnsupportedAlg)
                );
            }
        }
        for bad in ["", "a.b", "a.b.c.d", "!!.e30.x"] {
            assert_eq!(
                verify_hs256(bad, b"k", 0.0, 0.0),
                Err(JwtError::Invalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn timing_safe_eq_compares_every_byte() {
        assert!(timing_safe_eq(b"", b""));
        assert!(timing_safe_eq(b"abc", b"abc"));
        assert!(!timing_safe_eq(b"abc", b"abd"));
        assert!(!timing_safe_eq(b"xbc", b"abc"));
        assert!(!timing_safe_eq(b"abc", b"abc\0"));
        assert!(!timing_safe_eq(b"abc\0", b"abc"));
        assert!(!timing_safe_eq(b"", b"\0"));
    }

    #[test]
    fn bearer_headers() {
        assert_eq!(parse_bearer("Bearer abc.def"), Some("abc.def"));
        assert_eq!(parse_bearer("bearer   tok "), Some("tok"));
        assert_eq!(parse_bearer("Basic dXNlcg=="), None);
        assert_eq!(parse_bearer("Bearer"), None);
        assert_eq!(parse_bearer("Bearer "), None);
        assert_eq!(parse_bearer("Bearer a b"), None);
    }
}
