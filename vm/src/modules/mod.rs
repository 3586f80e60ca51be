//! The virtual-module table (`zigttp:*`): every module and export declared
//! once, in [`modules!`]. From it come [`TABLE`] (read by the compiler for
//! imports and the contract, and by the verifier), [`ModFn`] (the natives the
//! VM links) and each export's metadata. One file per module holds its
//! implementation.
//!
//! Every call goes through [`call`], which checks that the policy grants the
//! module's capabilities, answers from a test stub when the host has one
//! (traceable exports only, DESIGN section 11), and otherwise runs the real
//! implementation.

mod auth;
mod cache;
mod compose;
mod crypto;
mod decode;
mod env;
mod fetch;
mod http;
mod id;
mod log;
mod ratelimit;
mod router;
mod sql;
mod text;
mod time;
mod url;
mod validate;
mod websocket;

pub use cache::Cache;
pub use fetch::{FetchLimits, Fetched, get as http_get, url_host};
pub use ratelimit::RateLimits;
pub use sql::{SqlStore, describe_statement};
pub use validate::Schemas;
pub use websocket::{MAX_ATTACHMENT, MAX_CLOSE_REASON, WebSocketHost};

use crate::interp::Vm;
use crate::trap::{Trap, TrapKind};
use crate::value::Value;
use zigts_verifier::Capability;
use zigts_verifier::modules::{Effect, ExportDecl, ModuleDecl, ReturnKind};

macro_rules! modules {
    ($(
        $spec:literal [$($cap:ident),*] {
            $( $name:literal => $variant:ident ($arity:literal, $effect:ident, $ret:ident, $trace:ident) ),* $(,)?
        }
    )*) => {
        /// A module export the VM implements.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum ModFn { $($($variant,)*)* }

        /// Implemented modules.
        pub const TABLE: &[ModuleDecl] = &[$(
            ModuleDecl {
                specifier: $spec,
                exports: &[$(ExportDecl { name: $name, arity: $arity, effect: Effect::$effect, returns: ReturnKind::$ret },)*],
                capabilities: &[$(Capability::$cap),*],
            },
        )*];

        impl ModFn {
            /// The export of `specifier` named `name`.
            pub fn lookup(specifier: &str, name: &str) -> Option<ModFn> {
                match (specifier, name) {
                    $($(($spec, $name) => Some(ModFn::$variant),)*)*
                    _ => None,
                }
            }

            /// `(specifier, export name)`.
            pub fn names(self) -> (&'static str, &'static str) {
                match self { $($(ModFn::$variant => ($spec, $name),)*)* }
            }

            /// Capabilities its module requires.
            pub fn capabilities(self) -> &'static [Capability] {
                let spec = self.names().0;
                TABLE.iter().find(|m| m.specifier == spec).map_or(&[], |m| m.capabilities)
            }

            /// Whether `zigttp test` io records may stub it.
            pub fn traceable(self) -> bool {
                match self { $($(ModFn::$variant => modules!(@trace $trace),)*)* }
            }
        }
    };
    (@trace traced) => { true };
    (@trace untraced) => { false };
}

modules! {
    "zigttp:compose" [] {
        // `guard(f)` marks a guard in a `|>` chain (the compiler turns the
        // chain into one function); outside a chain it is the identity.
        "guard" => ComposeGuard(1, None, Unknown, untraced),
        // `pipe(f1, ..., fN)` is `fN(...f2(f1()))`.
        "pipe" => ComposePipe(255, None, Unknown, untraced),
    }
    "zigttp:crypto" [Crypto] {
        "sha256" => Sha256(1, None, String, traced),
        "hmacSha256" => HmacSha256(2, None, String, traced),
        "base64Encode" => Base64Encode(1, None, String, traced),
        "base64Decode" => Base64Decode(1, None, String, traced),
    }
    "zigttp:websocket" [Websocket] {
        "send" => WsSend(2, Write, Boolean, untraced),
        "close" => WsClose(3, Write, Boolean, untraced),
        "getWebSockets" => WsGetWebSockets(1, Read, Object, untraced),
        "serializeAttachment" => WsSerializeAttachment(2, Write, Boolean, untraced),
        "deserializeAttachment" => WsDeserializeAttachment(1, Read, OptionalString, untraced),
    }
    "zigttp:env" [Env, PolicyCheck] {
        "env" => Env(1, Read, OptionalString, traced),
    }
    "zigttp:cache" [Clock, PolicyCheck] {
        "cacheGet" => CacheGet(2, Read, OptionalString, traced),
        "cacheSet" => CacheSet(4, Write, Boolean, traced),
        "cacheDelete" => CacheDelete(2, Write, Boolean, traced),
        "cacheIncr" => CacheIncr(4, Write, Number, traced),
        "cacheStats" => CacheStats(1, Read, Object, traced),
    }
    "zigttp:router" [] {
        "routerMatch" => RouterMatch(2, None, OptionalObject, untraced),
    }
    "zigttp:text" [] {
        "escapeHtml" => EscapeHtml(1, None, String, traced),
        "unescapeHtml" => UnescapeHtml(1, None, String, traced),
        "slugify" => Slugify(1, None, String, traced),
        "truncate" => Truncate(3, None, String, traced),
        "mask" => Mask(2, None, String, traced),
    }
    "zigttp:url" [] {
        "urlParse" => UrlParse(1, None, Object, traced),
        "urlSearchParams" => UrlSearchParams(1, None, Object, traced),
        "urlEncode" => UrlEncode(1, None, String, traced),
        "urlDecode" => UrlDecode(1, None, String, traced),
    }
    "zigttp:validate" [] {
        "schemaCompile" => SchemaCompile(2, None, Boolean, untraced),
        "validateJson" => ValidateJson(2, None, Result, traced),
        "validateObject" => ValidateObject(2, None, Result, traced),
        "coerceJson" => CoerceJson(2, None, Result, traced),
        "schemaDrop" => SchemaDrop(1, None, Boolean, untraced),
    }
    "zigttp:auth" [Crypto, Clock] {
        "parseBearer" => ParseBearer(1, None, OptionalString, traced),
        "jwtSign" => JwtSign(2, None, String, traced),
        // Reads the clock for `exp`/`nbf`.
        "jwtVerify" => JwtVerify(3, Read, Result, traced),
        "verifyWebhookSignature" => VerifyWebhookSignature(3, None, Boolean, traced),
        "timingSafeEqual" => TimingSafeEqual(2, None, Boolean, traced),
    }
    "zigttp:decode" [] {
        "decodeJson" => DecodeJson(2, None, Result, traced),
        "decodeForm" => DecodeForm(2, None, Result, traced),
        "decodeQuery" => DecodeQuery(2, None, Result, traced),
    }
    "zigttp:id" [Clock, Random] {
        "uuid" => Uuid(0, Read, String, traced),
        "ulid" => Ulid(0, Read, String, traced),
        "nanoid" => Nanoid(1, Read, String, traced),
    }
    "zigttp:time" [] {
        "formatIso" => FormatIso(1, None, String, traced),
        "formatHttp" => FormatHttp(1, None, String, traced),
        // A number, or undefined when the text is not an ISO date.
        "parseIso" => ParseIso(1, None, Unknown, traced),
        "addSeconds" => AddSeconds(2, None, Number, traced),
    }
    "zigttp:log" [Clock, Stderr] {
        "logDebug" => LogDebug(2, Write, Undefined, untraced),
        "logInfo" => LogInfo(2, Write, Undefined, untraced),
        "logWarn" => LogWarn(2, Write, Undefined, untraced),
        "logError" => LogError(2, Write, Undefined, untraced),
    }
    "zigttp:http" [] {
        "parseCookies" => ParseCookies(1, None, Object, traced),
        // Undefined when a part would inject attributes or headers.
        "setCookie" => SetCookie(3, None, OptionalString, traced),
        "negotiate" => Negotiate(2, None, OptionalString, traced),
        "parseContentType" => ParseContentType(1, None, Object, traced),
        "cors" => Cors(2, None, OptionalObject, traced),
    }
    "zigttp:ratelimit" [Clock] {
        "rateCheck" => RateCheck(3, Write, Result, traced),
        "rateReset" => RateReset(1, Write, Boolean, traced),
    }
    "zigttp:sql" [Sqlite, PolicyCheck] {
        // Module-level registration of a named statement.
        "sql" => Sql(2, None, Boolean, untraced),
        "sqlOne" => SqlOne(2, Read, OptionalObject, traced),
        "sqlMany" => SqlMany(2, Read, Object, traced),
        "sqlExec" => SqlExec(2, Write, Object, traced),
    }
    "zigttp:fetch" [Network, RuntimeCallback] {
        "fetch" => Fetch(2, Write, Object, traced),
        "fetchSync" => FetchSync(2, Write, Object, traced),
    }
}

/// Modules of the reference that are planned but not implemented yet.
pub const PLANNED: &[&str] = &[
    "zigttp:io",
    "zigttp:service",
    "zigttp:durable",
    "zigttp:scope",
];

/// The key `zigttp test` io records use for a module (`zigttp:env` -> `env`).
pub fn io_key(specifier: &str) -> &str {
    specifier.strip_prefix("zigttp:").unwrap_or(specifier)
}

fn arg<'a>(args: &[Value<'a>], i: usize) -> Value<'a> {
    args.get(i).copied().unwrap_or(Value::Undefined)
}

/// Calls a module export: capability check, test stub, implementation.
pub fn call<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let (spec, name) = f.names();
    for cap in f.capabilities() {
        if !vm.services.policy.grants(*cap) {
            vm.services.count_denial();
            vm.host.security_event(&format!(
                "policy_denied capability '{cap}' for {spec}.{name}"
            ));
            return Err(Trap::new(
                TrapKind::PolicyDenied,
                format!("{spec}.{name} needs capability '{cap}', which the policy does not grant"),
            ));
        }
    }
    check_values(vm, f, args)?;
    let is_fetch = matches!(f, ModFn::Fetch | ModFn::FetchSync);
    if f.traceable() {
        let mut stub = vm.host.stub(io_key(spec), name);
        if stub.is_none() && is_fetch {
            // The reference's test files record fetchSync under module "http".
            stub = vm.host.stub("http", "fetchSync");
        }
        if let Some(stub) = stub {
            let v = match stub {
                None => Value::Undefined,
                Some(json) => {
                    crate::builtins::json::parse_str(vm, &json)?.unwrap_or(Value::Undefined)
                }
            };
            return if is_fetch {
                fetch::from_stub(vm, v)
            } else {
                Ok(v)
            };
        }
    }
    match f {
        ModFn::ComposeGuard => Ok(arg(args, 0)),
        ModFn::ComposePipe => compose::pipe(vm, args),
        ModFn::Sha256 | ModFn::HmacSha256 | ModFn::Base64Encode | ModFn::Base64Decode => {
            crypto::call(vm, f, args)
        }
        ModFn::Env => env::env(vm, arg(args, 0)),
        ModFn::CacheGet
        | ModFn::CacheSet
        | ModFn::CacheDelete
        | ModFn::CacheIncr
        | ModFn::CacheStats => cache::call(vm, f, args),
        ModFn::RouterMatch => router::router_match(vm, arg(args, 0), arg(args, 1)),
        ModFn::EscapeHtml
        | ModFn::UnescapeHtml
        | ModFn::Slugify
        | ModFn::Truncate
        | ModFn::Mask => text::call(vm, f, args),
        ModFn::UrlParse | ModFn::UrlSearchParams | ModFn::UrlEncode | ModFn::UrlDecode => {
            url::call(vm, f, args)
        }
        ModFn::SchemaCompile
        | ModFn::ValidateJson
        | ModFn::ValidateObject
        | ModFn::CoerceJson
        | ModFn::SchemaDrop => validate::call(vm, f, args),
        ModFn::ParseBearer
        | ModFn::JwtSign
        | ModFn::JwtVerify
        | ModFn::VerifyWebhookSignature
        | ModFn::TimingSafeEqual => auth::call(vm, f, args),
        ModFn::DecodeJson | ModFn::DecodeForm | ModFn::DecodeQuery => decode::call(vm, f, args),
        ModFn::Uuid | ModFn::Ulid | ModFn::Nanoid => id::call(vm, f, args),
        ModFn::FormatIso | ModFn::FormatHttp | ModFn::ParseIso | ModFn::AddSeconds => {
            time::call(vm, f, args)
        }
        ModFn::LogDebug | ModFn::LogInfo | ModFn::LogWarn | ModFn::LogError => {
            log::call(vm, f, args)
        }
        ModFn::ParseCookies
        | ModFn::SetCookie
        | ModFn::Negotiate
        | ModFn::ParseContentType
        | ModFn::Cors => http::call(vm, f, args),
        ModFn::RateCheck | ModFn::RateReset => ratelimit::call(vm, f, args),
        ModFn::Sql | ModFn::SqlOne | ModFn::SqlMany | ModFn::SqlExec => sql::call(vm, f, args),
        ModFn::Fetch | ModFn::FetchSync => fetch::call(vm, f, args),
        ModFn::WsSend
        | ModFn::WsClose
        | ModFn::WsGetWebSockets
        | ModFn::WsSerializeAttachment
        | ModFn::WsDeserializeAttachment => websocket::call(vm, f, args),
    }
}

/// The policy's allow-lists, checked against the value a call touches (env
/// name, cache namespace, SQL query name) before anything runs. A denial
/// (egress hosts are checked by `zigttp:fetch` itself) is a clean error
/// for the request and a counted security event.
fn check_values<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<(), Trap> {
    let policy = &vm.services.policy;
    let (what, allow) = match f {
        ModFn::Env => ("env", &policy.env),
        ModFn::CacheGet | ModFn::CacheSet | ModFn::CacheDelete | ModFn::CacheIncr => {
            ("cache namespace", &policy.cache)
        }
        ModFn::CacheStats if args.first().is_some_and(|a| !a.is_undefined()) => {
            ("cache namespace", &policy.cache)
        }
        ModFn::SqlOne | ModFn::SqlMany | ModFn::SqlExec => ("sql query", &policy.sql),
        _ => return Ok(()),
    };
    if *allow == crate::policy::Allow::Any {
        return Ok(());
    }
    let value = str_arg(vm, args, 0)?;
    let allow = match f {
        ModFn::Env => &vm.services.policy.env,
        ModFn::SqlOne | ModFn::SqlMany | ModFn::SqlExec => &vm.services.policy.sql,
        _ => &vm.services.policy.cache,
    };
    if allow.allows(value, false) {
        return Ok(());
    }
    vm.services.count_denial();
    vm.host
        .security_event(&format!("policy_denied {what} '{value}'"));
    Err(Trap::new(
        TrapKind::PolicyDenied,
        format!("{what} '{value}' is not allowed by the policy"),
    ))
}

/// A string argument (ToString of anything else).
pub(crate) fn str_arg<'a>(
    vm: &mut Vm<'a, '_>,
    args: &[Value<'a>],
    i: usize,
) -> Result<&'a str, Trap> {
    crate::interp::to_property_key(vm, arg(args, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_and_lookup_agree() {
        for m in TABLE {
            for e in m.exports {
                let f = ModFn::lookup(m.specifier, e.name).expect("every export has a native");
                assert_eq!(f.names(), (m.specifier, e.name));
                assert_eq!(f.capabilities(), m.capabilities);
            }
            assert!(
                !PLANNED.contains(&m.specifier),
                "{} is both implemented and planned",
                m.specifier
            );
        }
    }
}
