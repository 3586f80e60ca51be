//! Built-in globals, properties and methods.
//!
//! Property reads, writes and method calls of every value kind go through the
//! functions here, so the interpreter has one place per operation. Frozen
//! image values are readable everywhere and writable nowhere.

pub mod array;
pub mod iter;
pub mod json;
pub mod jsx;
pub mod map_set;
pub mod math;
pub mod object;
pub mod response;
pub mod result;
pub mod string;

use crate::image::FVal;
use crate::interp::{Vm, to_number, to_property_key};
use crate::trap::{Trap, TrapKind};
use crate::value::{Array, Class, Value};
use bumpalo::collections::Vec as BVec;
use zigts_verifier::builtins::BUILTINS;

/// A built-in function value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Native {
    Math(math::MathFn),
    JsonStringify,
    JsonParse,
    JsonTryParse,
    ResultOk,
    ResultErr,
    ObjectKeys,
    ObjectValues,
    ObjectEntries,
    ObjectHasOwn,
    ObjectFromEntries,
    ArrayIsArray,
    ArrayOf,
    ArrayFrom,
    NumberIsInteger,
    NumberIsSafeInteger,
    NumberIsNaN,
    NumberIsFinite,
    StringFromCharCode,
    ParseInt,
    ParseFloat,
    GlobalIsNaN,
    GlobalIsFinite,
    Range,
    /// A virtual-module export.
    Module(crate::modules::ModFn),
    JsxH,
    RenderToString,
    ResponseJson,
    ResponseText,
    ResponseHtml,
    ResponseRawJson,
    ResponseRedirect,
    ConsoleLog,
    ConsoleInfo,
    ConsoleDebug,
    ConsoleWarn,
    ConsoleError,
    DateNow,
    PerformanceNow,
    /// A namespace called as a function (`Response(...)`, `Map()`, `String(x)` ...).
    Factory(u16),
}

/// The value of built-in global `b`.
pub fn global<'a>(b: u16) -> Value<'a> {
    match BUILTINS.get(b as usize).copied() {
        Some("range") => Value::Native(Native::Range),
        Some("h") => Value::Native(Native::JsxH),
        Some("renderToString") => Value::Native(Native::RenderToString),
        Some("parseInt") => Value::Native(Native::ParseInt),
        Some("parseFloat") => Value::Native(Native::ParseFloat),
        Some("isNaN") => Value::Native(Native::GlobalIsNaN),
        Some("isFinite") => Value::Native(Native::GlobalIsFinite),
        Some("Fragment") => Value::Undefined,
        _ => Value::Namespace(b),
    }
}

/// Whether namespace `b` can be called (`Response(...)`, `Map()`, `String(x)`).
pub fn namespace_is_callable(b: u16) -> bool {
    matches!(
        BUILTINS.get(b as usize).copied(),
        Some("Response" | "Map" | "Set" | "Number" | "String" | "Boolean" | "Headers")
    )
}

/// A named member of a namespace: a constant or a function.
fn namespace_member<'a>(b: u16, key: &str) -> Option<Value<'a>> {
    let name = BUILTINS.get(b as usize).copied()?;
    let native = match (name, key) {
        ("Math", k) => return math::member(k),
        ("JSON", "stringify") => Native::JsonStringify,
        ("JSON", "parse") => Native::JsonParse,
        ("JSON", "tryParse") => Native::JsonTryParse,
        ("Result", "ok") => Native::ResultOk,
        ("Result", "err") => Native::ResultErr,
        ("Object", "keys") => Native::ObjectKeys,
        ("Object", "values") => Native::ObjectValues,
        ("Object", "entries") => Native::ObjectEntries,
        ("Object", "hasOwn") => Native::ObjectHasOwn,
        ("Object", "fromEntries") => Native::ObjectFromEntries,
        ("Array", "isArray") => Native::ArrayIsArray,
        ("Array", "of") => Native::ArrayOf,
        ("Array", "from") => Native::ArrayFrom,
        ("Number", "isInteger") => Native::NumberIsInteger,
        ("Number", "isSafeInteger") => Native::NumberIsSafeInteger,
        ("Number", "isNaN") => Native::NumberIsNaN,
        ("Number", "isFinite") => Native::NumberIsFinite,
        ("Number", "parseInt") => Native::ParseInt,
        ("Number", "parseFloat") => Native::ParseFloat,
        ("Number", k) => return math::number_constant(k).map(Value::Num),
        ("String", "fromCharCode") => Native::StringFromCharCode,
        ("Response", "json") => Native::ResponseJson,
        ("Response", "text") => Native::ResponseText,
        ("Response", "html") => Native::ResponseHtml,
        ("Response", "rawJson") => Native::ResponseRawJson,
        ("Response", "redirect") => Native::ResponseRedirect,
        ("console", "log") => Native::ConsoleLog,
        ("console", "info") => Native::ConsoleInfo,
        ("console", "debug") => Native::ConsoleDebug,
        ("console", "warn") => Native::ConsoleWarn,
        ("console", "error") => Native::ConsoleError,
        ("Date", "now") => Native::DateNow,
        ("performance", "now") => Native::PerformanceNow,
        _ => return None,
    };
    Some(Value::Native(native))
}

/// Human name of a value kind for messages.
fn describe(v: Value<'_>) -> &'static str {
    match v {
        Value::Undefined => "undefined",
        Value::Bool(_) => "a boolean",
        Value::Num(_) => "a number",
        Value::Str(_) => "a string",
        Value::Array(_) | Value::FrozenArray(_) => "an array",
        Value::Function(_) | Value::FrozenFunction(_) | Value::Native(_) | Value::Method(_) => {
            "a function"
        }
        _ => "an object",
    }
}

impl<'a> Vm<'a, '_> {
    /// The request-side value of a frozen image value.
    pub(crate) fn thaw(&self, v: &'a FVal) -> Value<'a> {
        match self.image() {
            Some(img) => img.value(v),
            None => Value::Undefined,
        }
    }
}

/// Built-in method names per receiver kind (for reading a method as a value).
const ARRAY_METHODS: &[&str] = &[
    "push",
    "pop",
    "shift",
    "unshift",
    "slice",
    "splice",
    "concat",
    "join",
    "toString",
    "indexOf",
    "lastIndexOf",
    "includes",
    "at",
    "map",
    "filter",
    "forEach",
    "every",
    "some",
    "find",
    "findIndex",
    "findLast",
    "findLastIndex",
    "reduce",
    "reduceRight",
    "sort",
    "toSorted",
    "reverse",
    "toReversed",
    "flat",
    "flatMap",
    "fill",
    "keys",
    "values",
    "entries",
];
const STRING_METHODS: &[&str] = &[
    "charAt",
    "charCodeAt",
    "codePointAt",
    "at",
    "indexOf",
    "lastIndexOf",
    "includes",
    "startsWith",
    "endsWith",
    "slice",
    "substring",
    "toLowerCase",
    "toLocaleLowerCase",
    "toUpperCase",
    "toLocaleUpperCase",
    "trim",
    "trimStart",
    "trimEnd",
    "split",
    "repeat",
    "padStart",
    "padEnd",
    "concat",
    "replace",
    "replaceAll",
    "toString",
    "valueOf",
    "localeCompare",
];
const HEADERS_METHODS: &[&str] = &["get", "has", "set", "append", "delete"];
const REQUEST_METHODS: &[&str] = &["text", "json"];
const RESULT_METHODS: &[&str] = &[
    "isOk",
    "isErr",
    "unwrap",
    "unwrapOr",
    "unwrapErr",
    "map",
    "mapErr",
    "andThen",
    "match",
];
const MAP_METHODS: &[&str] = &[
    "get", "set", "has", "delete", "clear", "forEach", "keys", "values", "entries",
];
const SET_METHODS: &[&str] = &[
    "add", "has", "delete", "clear", "forEach", "keys", "values", "entries",
];
const NUMBER_METHODS: &[&str] = &["toFixed", "toString", "valueOf"];

/// `receiver.key` as a bound built-in method, when `key` names one.
fn method_value<'a>(vm: &Vm<'a, '_>, receiver: Value<'a>, key: &'a str) -> Option<Value<'a>> {
    let names = match receiver {
        Value::Array(_) | Value::FrozenArray(_) => ARRAY_METHODS,
        Value::Str(_) => STRING_METHODS,
        Value::Num(_) => NUMBER_METHODS,
        Value::Map(_) => MAP_METHODS,
        Value::Set(_) => SET_METHODS,
        Value::Object(o) => match o.class {
            Class::Headers => HEADERS_METHODS,
            Class::Request => REQUEST_METHODS,
            Class::Result => RESULT_METHODS,
            Class::Plain | Class::Element => return None,
        },
        Value::FrozenObject(fo) if fo.class == Class::Result => RESULT_METHODS,
        _ => return None,
    };
    names
        .contains(&key)
        .then(|| Value::Method(vm.arena.alloc(crate::value::Method { receiver, key })))
}

/// Looks up an own property of an object-like value without conversions.
pub(crate) fn own_property<'a>(vm: &Vm<'a, '_>, obj: Value<'a>, key: &str) -> Option<Value<'a>> {
    match obj {
        Value::Object(o) => o.get(key),
        Value::FrozenObject(fo) => fo
            .props
            .iter()
            .find(|(k, _)| &**k == key)
            .map(|(_, v)| vm.thaw(v)),
        _ => None,
    }
}

/// `obj.key`.
pub fn get_property<'a>(
    vm: &mut Vm<'a, '_>,
    obj: Value<'a>,
    key: &'a str,
) -> Result<Value<'a>, Trap> {
    Ok(match obj {
        Value::Object(_) | Value::FrozenObject(_) => own_property(vm, obj, key)
            .or_else(|| method_value(vm, obj, key))
            .unwrap_or(Value::Undefined),
        Value::Array(_) | Value::FrozenArray(_) => {
            if key == "length" {
                Value::Num(array::len(obj) as f64)
            } else if let Some(i) = crate::js::number::is_array_index(key) {
                array::get(vm, obj, i as usize)
            } else {
                method_value(vm, obj, key).unwrap_or(Value::Undefined)
            }
        }
        Value::Str(s) => match string::property(vm, s, key) {
            Value::Undefined => method_value(vm, obj, key).unwrap_or(Value::Undefined),
            v => v,
        },
        Value::Num(_) => method_value(vm, obj, key).unwrap_or(Value::Undefined),
        Value::Namespace(b) => namespace_member(b, key).unwrap_or(Value::Undefined),
        Value::Map(m) | Value::Set(m) if key == "size" => {
            Value::Num(m.entries.borrow().len() as f64)
        }
        Value::Map(_) | Value::Set(_) => method_value(vm, obj, key).unwrap_or(Value::Undefined),
        Value::Undefined => {
            return Err(Trap::type_error(format!(
                "cannot read properties of undefined (reading '{key}')"
            )));
        }
        _ => Value::Undefined,
    })
}

fn frozen_write() -> Trap {
    Trap::new(
        TrapKind::FrozenWrite,
        "cannot modify a module-level value: it is frozen after load",
    )
}

/// `obj.key = v`.
pub fn set_property<'a>(
    vm: &mut Vm<'a, '_>,
    obj: Value<'a>,
    key: &'a str,
    v: Value<'a>,
) -> Result<(), Trap> {
    match obj {
        Value::Object(o) => {
            o.set(key, v);
            Ok(())
        }
        Value::Array(a) => {
            if key == "length" {
                let n = to_number(vm, v)?;
                array::set_length(vm, a, n)
            } else if let Some(i) = crate::js::number::is_array_index(key) {
                array::set(vm, a, i as usize, v)
            } else {
                Err(Trap::type_error(format!(
                    "cannot set property '{key}' on an array"
                )))
            }
        }
        Value::FrozenObject(_) | Value::FrozenArray(_) | Value::FrozenFunction(_) => {
            Err(frozen_write())
        }
        other => Err(Trap::type_error(format!(
            "cannot set property '{key}' on {}",
            describe(other)
        ))),
    }
}

/// `obj[key]`.
pub fn get_element<'a>(
    vm: &mut Vm<'a, '_>,
    obj: Value<'a>,
    key: Value<'a>,
) -> Result<Value<'a>, Trap> {
    if let Value::Num(n) = key
        && n >= 0.0
        && n.fract() == 0.0
        && n < 4_294_967_295.0
    {
        match obj {
            Value::Array(_) | Value::FrozenArray(_) => return Ok(array::get(vm, obj, n as usize)),
            Value::Str(s) => return Ok(string::char_at_index(vm, s, n as usize)),
            _ => {}
        }
    }
    if obj.is_undefined() {
        let k = to_property_key(vm, key)?;
        return Err(Trap::type_error(format!(
            "cannot read properties of undefined (reading '{k}')"
        )));
    }
    let k = to_property_key(vm, key)?;
    get_property(vm, obj, k)
}

/// `obj[key] = v`.
pub fn set_element<'a>(
    vm: &mut Vm<'a, '_>,
    obj: Value<'a>,
    key: Value<'a>,
    v: Value<'a>,
) -> Result<(), Trap> {
    if let (Value::Array(a), Value::Num(n)) = (obj, key)
        && n >= 0.0
        && n.fract() == 0.0
        && n < 4_294_967_295.0
    {
        return array::set(vm, a, n as usize, v);
    }
    let k = to_property_key(vm, key)?;
    set_property(vm, obj, k, v)
}

/// `key in obj`.
pub fn has_property<'a>(vm: &mut Vm<'a, '_>, obj: Value<'a>, key: Value<'a>) -> Result<bool, Trap> {
    let k = to_property_key(vm, key)?;
    Ok(match obj {
        Value::Object(_) | Value::FrozenObject(_) => own_property(vm, obj, k).is_some(),
        Value::Array(_) | Value::FrozenArray(_) => {
            k == "length"
                || crate::js::number::is_array_index(k)
                    .is_some_and(|i| (i as usize) < array::len(obj))
        }
        Value::Map(_) | Value::Set(_) => k == "size",
        other => {
            return Err(Trap::type_error(format!(
                "cannot use 'in' to search for '{k}' in {}",
                describe(other)
            )));
        }
    })
}

/// Calls a callable value.
pub fn call_value<'a>(
    vm: &mut Vm<'a, '_>,
    f: Value<'a>,
    args: &[Value<'a>],
) -> Result<Value<'a>, Trap> {
    match f {
        Value::Function(_) | Value::FrozenFunction(_) => vm.call(f, args),
        Value::Native(n) => call_native(vm, n, args),
        Value::Method(m) => call_method(vm, m.receiver, m.key, args),
        Value::Namespace(b) if namespace_is_callable(b) => {
            call_native(vm, Native::Factory(b), args)
        }
        other => Err(Trap::type_error(format!(
            "{} is not a function",
            describe(other)
        ))),
    }
}

/// `obj.key(args)`: a function-valued own property, or a built-in method of the value's kind.
pub fn call_method<'a>(
    vm: &mut Vm<'a, '_>,
    obj: Value<'a>,
    key: &'a str,
    args: &[Value<'a>],
) -> Result<Value<'a>, Trap> {
    match obj {
        Value::Object(o) => {
            if let Some(f) = o.get(key) {
                return call_value(vm, f, args).map_err(|t| not_callable(t, f, key));
            }
            match o.class {
                Class::Headers => response::headers_method(vm, o, key, args),
                Class::Request => response::request_method(vm, o, key, args),
                Class::Result => result::method(vm, obj, key, args),
                Class::Plain | Class::Element => Err(no_method(obj, key)),
            }
        }
        Value::FrozenObject(fo) => match own_property(vm, obj, key) {
            Some(f) => call_value(vm, f, args).map_err(|t| not_callable(t, f, key)),
            None if fo.class == Class::Result => result::method(vm, obj, key, args),
            None => Err(no_method(obj, key)),
        },
        Value::Array(_) | Value::FrozenArray(_) => array::call_method(vm, obj, key, args),
        Value::Str(s) => string::call_method(vm, s, key, args),
        Value::Num(n) => math::number_method(vm, n, key, args),
        Value::Map(m) => map_set::map_method(vm, m, key, args),
        Value::Set(s) => map_set::set_method(vm, s, key, args),
        Value::Namespace(b) => match namespace_member(b, key) {
            Some(f @ Value::Native(_)) => call_value(vm, f, args),
            _ => Err(no_method(obj, key)),
        },
        Value::Undefined => Err(Trap::type_error(format!(
            "cannot read properties of undefined (reading '{key}')"
        ))),
        _ => Err(no_method(obj, key)),
    }
}

#[cold]
fn not_callable(t: Trap, f: Value<'_>, key: &str) -> Trap {
    match f {
        Value::Function(_)
        | Value::FrozenFunction(_)
        | Value::Native(_)
        | Value::Namespace(_)
        | Value::Method(_) => t,
        _ => Trap::type_error(format!("'{key}' is not a function")),
    }
}

#[cold]
fn no_method(obj: Value<'_>, key: &str) -> Trap {
    Trap::type_error(format!("'{key}' is not a function on {}", describe(obj)))
}

/// Calls a native function.
pub fn call_native<'a>(
    vm: &mut Vm<'a, '_>,
    n: Native,
    args: &[Value<'a>],
) -> Result<Value<'a>, Trap> {
    let arg = |i: usize| args.get(i).copied().unwrap_or(Value::Undefined);
    Ok(match n {
        Native::Math(f) => math::call(vm, f, args)?,
        Native::JsonStringify => json::stringify(vm, arg(0), arg(2))?,
        Native::JsonParse => json::parse(vm, arg(0))?,
        Native::JsonTryParse => {
            let text = crate::interp::to_property_key(vm, arg(0))?;
            match json::parse_str(vm, text)? {
                Some(v) => result::ok(vm, v),
                None => result::err(vm, Value::Str("Invalid JSON")),
            }
        }
        Native::ResultOk => result::ok(vm, arg(0)),
        Native::ResultErr => result::err(vm, arg(0)),
        Native::ObjectKeys => object::keys(vm, arg(0))?,
        Native::ObjectValues => object::values(vm, arg(0))?,
        Native::ObjectEntries => object::entries(vm, arg(0))?,
        Native::ObjectHasOwn => {
            let k = to_property_key(vm, arg(1))?;
            Value::Bool(object::has_own(vm, arg(0), k))
        }
        Native::ObjectFromEntries => object::from_entries(vm, arg(0))?,
        Native::ArrayIsArray => Value::Bool(arg(0).is_array()),
        Native::ArrayOf => Value::Array(Array::from_iter_in(vm.arena, args.iter().copied())),
        Native::ArrayFrom => array::from(vm, arg(0), arg(1))?,
        Native::NumberIsInteger => {
            Value::Bool(matches!(arg(0), Value::Num(x) if x.is_finite() && x.fract() == 0.0))
        }
        Native::NumberIsSafeInteger => Value::Bool(
            matches!(arg(0), Value::Num(x) if x.is_finite() && x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_991.0),
        ),
        Native::NumberIsNaN => Value::Bool(matches!(arg(0), Value::Num(x) if x.is_nan())),
        Native::NumberIsFinite => Value::Bool(matches!(arg(0), Value::Num(x) if x.is_finite())),
        Native::GlobalIsNaN => Value::Bool(to_number(vm, arg(0))?.is_nan()),
        Native::GlobalIsFinite => Value::Bool(to_number(vm, arg(0))?.is_finite()),
        Native::StringFromCharCode => {
            let mut codes = Vec::with_capacity(args.len());
            for a in args {
                codes.push(to_number(vm, *a)?);
            }
            let s = crate::js::string::from_char_codes(codes.into_iter());
            Value::Str(vm.arena.alloc_str(&s))
        }
        Native::ParseInt => {
            let s = crate::interp::to_property_key(vm, arg(0))?;
            let radix = match arg(1) {
                Value::Undefined => None,
                r => Some(to_number(vm, r)?),
            };
            Value::Num(crate::js::number::parse_int(s, radix))
        }
        Native::ParseFloat => {
            let s = crate::interp::to_property_key(vm, arg(0))?;
            Value::Num(crate::js::number::parse_float(s))
        }
        Native::Range => iter::range(vm, args)?,
        Native::Module(f) => crate::modules::call(vm, f, args)?,
        Native::JsxH => jsx::h(vm, args)?,
        Native::RenderToString => jsx::render_to_string(vm, arg(0))?,
        Native::ResponseJson => response::json(vm, arg(0), arg(1), args.is_empty())?,
        Native::ResponseText => response::text(vm, arg(0), arg(1), response::TEXT_PLAIN)?,
        Native::ResponseHtml => response::text(vm, arg(0), arg(1), response::TEXT_HTML)?,
        Native::ResponseRawJson => response::text(vm, arg(0), arg(1), response::APPLICATION_JSON)?,
        Native::ResponseRedirect => response::redirect(vm, arg(0), arg(1))?,
        Native::ConsoleLog | Native::ConsoleInfo | Native::ConsoleDebug => {
            console(vm, false, args)?
        }
        Native::ConsoleWarn | Native::ConsoleError => console(vm, true, args)?,
        Native::DateNow => Value::Num(vm.host.now_ms()),
        Native::PerformanceNow => Value::Num(vm.host.monotonic_ms()),
        Native::Factory(b) => factory(vm, b, args)?,
    })
}

/// A callable namespace called as a function.
fn factory<'a>(vm: &mut Vm<'a, '_>, b: u16, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let arg = |i: usize| args.get(i).copied().unwrap_or(Value::Undefined);
    Ok(match BUILTINS.get(b as usize).copied() {
        Some("Response") => response::text(vm, arg(0), arg(1), response::TEXT_PLAIN)?,
        Some("Map") => map_set::new_map(vm, arg(0))?,
        Some("Set") => map_set::new_set(vm, arg(0))?,
        Some("Number") => Value::Num(if args.is_empty() {
            0.0
        } else {
            to_number(vm, arg(0))?
        }),
        Some("String") => {
            if args.is_empty() {
                Value::Str("")
            } else {
                Value::Str(crate::interp::to_property_key(vm, arg(0))?)
            }
        }
        Some("Boolean") => Value::Bool(arg(0).truthy()),
        Some("Headers") => response::new_headers(vm, arg(0))?,
        _ => return Err(Trap::type_error("value is not a function")),
    })
}

/// The deepest nesting a recursive built-in walks (ToString of nested
/// arrays, `flat`, JSX children, freezing module state), like
/// `JSON.stringify`'s: beyond it, a RangeError instead of a Rust stack
/// overflow (which would abort the whole process).
pub(crate) const MAX_NESTING: usize = json::MAX_DEPTH;

/// Runs one level of a recursive built-in walk at nesting `level`: refuses
/// past [`MAX_NESTING`], and grows the Rust stack when it runs low (debug
/// builds have large frames).
pub(crate) fn nested<T>(
    level: usize,
    what: &str,
    f: impl FnOnce() -> Result<T, Trap>,
) -> Result<T, Trap> {
    if level > MAX_NESTING {
        return Err(Trap::range_error(format!(
            "{what}: nested more than {MAX_NESTING} levels deep"
        )));
    }
    stacker::maybe_grow(
        crate::interp::STACK_RED_ZONE,
        crate::interp::STACK_SEGMENT,
        f,
    )
}

fn console<'a>(vm: &mut Vm<'a, '_>, is_error: bool, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let mut line = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            line.push(' ');
        }
        match a {
            Value::Str(s) => line.push_str(s),
            Value::Object(_) | Value::FrozenObject(_) | Value::Array(_) | Value::FrozenArray(_) => {
                match json::stringify(vm, *a, Value::Undefined)? {
                    Value::Str(s) => line.push_str(s),
                    _ => line.push_str("undefined"),
                }
            }
            other => line.push_str(crate::interp::to_property_key(vm, *other)?),
        }
    }
    vm.host.console(is_error, &line);
    Ok(Value::Undefined)
}

/// `load_import i`: a module export.
pub fn import<'a>(vm: &mut Vm<'a, '_>, i: u32) -> Result<Value<'a>, Trap> {
    let im = &vm.program.bundle().imports[i as usize];
    match crate::modules::ModFn::lookup(&im.specifier, &im.export) {
        Some(f) => Ok(Value::Native(Native::Module(f))),
        None => Err(Trap::new(
            TrapKind::NotImplemented,
            format!(
                "module '{}' (export '{}') is not implemented yet",
                im.specifier, im.export
            ),
        )),
    }
}

/// Every value `src` iterates, in order.
pub(crate) fn iterate<'a>(
    vm: &mut Vm<'a, '_>,
    src: Value<'a>,
) -> Result<BVec<'a, Value<'a>>, Trap> {
    let mut out = BVec::new_in(vm.arena);
    match src {
        Value::Array(a) => out.extend(a.items.borrow().iter().copied()),
        Value::FrozenArray(fa) => out.extend(fa.items.iter().map(|v| vm.thaw(v))),
        // An iterator value is consumed, as in JS (a second spread is empty).
        Value::Iter(cell) => {
            while let Some(v) = iter::Iter::next(cell, vm)? {
                out.push(v);
            }
        }
        _ => {
            let mut it = iter::Iter::new(vm, src)?;
            while let Some(v) = it.step(vm)? {
                out.push(v);
            }
        }
    }
    Ok(out)
}

/// `[...src]` into `arr`.
pub fn spread_into_array<'a>(
    vm: &mut Vm<'a, '_>,
    arr: Value<'a>,
    src: Value<'a>,
) -> Result<(), Trap> {
    let items = iterate(vm, src)?;
    match arr {
        Value::Array(a) => {
            a.items.borrow_mut().extend(items);
            Ok(())
        }
        _ => Err(Trap::new(
            TrapKind::Internal,
            "array_spread into a non-array",
        )),
    }
}

/// Arguments of a spread call, from the array the compiler built.
pub fn spread_args<'a>(vm: &mut Vm<'a, '_>, arr: Value<'a>) -> Result<&'a [Value<'a>], Trap> {
    let items = iterate(vm, arr)?;
    Ok(items.into_bump_slice())
}

/// `const [a, ...rest] = src`: the values from index `from` on.
pub fn array_rest<'a>(vm: &mut Vm<'a, '_>, src: Value<'a>, from: usize) -> Result<Value<'a>, Trap> {
    let items = iterate(vm, src)?;
    let rest = Array::from_iter_in(vm.arena, items.into_iter().skip(from));
    Ok(Value::Array(rest))
}
