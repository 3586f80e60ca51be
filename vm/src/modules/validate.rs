//! `zigttp:validate`: a JSON-schema subset (the reference's): `type`
//! (object, array, string, number, integer, boolean, null), `properties`,
//! `required`, `items`, `enum`, `minLength`/`maxLength`, `minimum`/`maximum`,
//! `format` (email, uuid, iso-date, iso-datetime, uri). Schemas are compiled
//! by module-level code only and shared read-only afterwards.

use super::{ModFn, str_arg};
use crate::builtins::array;
use crate::interp::Vm;
use crate::trap::{Trap, TrapKind};
use crate::value::{Array, Class, Object, Value};
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Compiled schemas by name.
#[derive(Debug, Default)]
pub struct Schemas {
    map: RwLock<HashMap<String, Arc<Schema>>>,
}

/// One compiled schema node.
#[derive(Debug, Default)]
pub struct Schema {
    pub(crate) types: Vec<String>,
    pub(crate) properties: Vec<(String, Schema)>,
    required: Vec<String>,
    pub(crate) items: Option<Box<Schema>>,
    enumeration: Option<Vec<Json>>,
    min_length: Option<f64>,
    max_length: Option<f64>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    format: Option<String>,
}

/// Nesting limit of a schema.
const MAX_SCHEMA_DEPTH: usize = 64;

fn compile(j: &Json, depth: usize) -> Result<Schema, String> {
    if depth > MAX_SCHEMA_DEPTH {
        return Err("schema nested too deeply".into());
    }
    let Json::Object(m) = j else {
        return Err("a schema must be an object".into());
    };
    let num = |k: &str| m.get(k).and_then(Json::as_f64);
    let mut s = Schema {
        min_length: num("minLength"),
        max_length: num("maxLength"),
        minimum: num("minimum"),
        maximum: num("maximum"),
        format: m.get("format").and_then(Json::as_str).map(str::to_string),
        enumeration: m.get("enum").and_then(Json::as_array).cloned(),
        ..Schema::default()
    };
    match m.get("type") {
        Some(Json::String(t)) => s.types.push(t.clone()),
        Some(Json::Array(ts)) => s
            .types
            .extend(ts.iter().filter_map(Json::as_str).map(str::to_string)),
        _ => {}
    }
    if let Some(Json::Object(props)) = m.get("properties") {
        for (k, v) in props {
            s.properties.push((k.clone(), compile(v, depth + 1)?));
        }
    }
    if let Some(Json::Array(req)) = m.get("required") {
        s.required
            .extend(req.iter().filter_map(Json::as_str).map(str::to_string));
    }
    if let Some(items) = m.get("items") {
        s.items = Some(Box::new(compile(items, depth + 1)?));
    }
    Ok(s)
}

fn type_ok(t: &str, v: Value<'_>) -> bool {
    match t {
        "object" => matches!(v, Value::Object(_) | Value::FrozenObject(_)),
        "array" => v.is_array(),
        "string" => matches!(v, Value::Str(_)),
        "number" => matches!(v, Value::Num(_)),
        "integer" => matches!(v, Value::Num(n) if n.fract() == 0.0 && n.is_finite()),
        "boolean" => matches!(v, Value::Bool(_)),
        // JSON null parses to undefined.
        "null" => v.is_undefined(),
        _ => true,
    }
}

fn enum_hit(v: Value<'_>, allowed: &[Json]) -> bool {
    allowed.iter().any(|j| match (j, v) {
        (Json::String(a), Value::Str(b)) => a == b,
        (Json::Number(a), Value::Num(b)) => a.as_f64() == Some(b),
        (Json::Bool(a), Value::Bool(b)) => *a == b,
        (Json::Null, Value::Undefined) => true,
        _ => false,
    })
}

fn format_ok(format: &str, s: &str) -> bool {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    match format {
        "email" => s.split_once('@').is_some_and(|(u, d)| {
            !u.is_empty()
                && d.contains('.')
                && !d.starts_with('.')
                && !d.ends_with('.')
                && !s.contains(char::is_whitespace)
        }),
        "uuid" => {
            let parts: Vec<&str> = s.split('-').collect();
            parts.len() == 5
                && parts
                    .iter()
                    .zip([8, 4, 4, 4, 12])
                    .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
        }
        "iso-date" => {
            let p: Vec<&str> = s.split('-').collect();
            p.len() == 3
                && p[0].len() == 4
                && p[1].len() == 2
                && p[2].len() == 2
                && p.iter().all(|x| digits(x))
        }
        "iso-datetime" => s.split_once('T').is_some_and(|(d, t)| {
            format_ok("iso-date", d) && t.len() >= 8 && t.as_bytes()[2] == b':'
        }),
        "uri" => s.split_once("://").is_some_and(|(scheme, rest)| {
            !scheme.is_empty()
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b))
                && !rest.is_empty()
        }),
        _ => true,
    }
}

struct Checker<'a, 'v, 'h> {
    vm: &'v mut Vm<'a, 'h>,
    errors: Vec<(String, &'static str)>,
}

impl<'a> Checker<'a, '_, '_> {
    fn check(&mut self, s: &Schema, v: Value<'a>, path: &str) -> Result<(), Trap> {
        if !s.types.is_empty() && !s.types.iter().any(|t| type_ok(t, v)) {
            self.errors.push((path.to_string(), "type mismatch"));
            return Ok(());
        }
        if let Some(allowed) = &s.enumeration
            && !enum_hit(v, allowed)
        {
            self.errors.push((path.to_string(), "value not in enum"));
        }
        match v {
            Value::Str(text) => {
                let len = crate::js::string::utf16_len(text) as f64;
                if s.min_length.is_some_and(|m| len < m) {
                    self.errors.push((path.to_string(), "string too short"));
                }
                if s.max_length.is_some_and(|m| len > m) {
                    self.errors.push((path.to_string(), "string too long"));
                }
                if let Some(f) = &s.format
                    && !format_ok(f, text)
                {
                    self.errors.push((path.to_string(), "invalid format"));
                }
            }
            Value::Num(n) => {
                if s.minimum.is_some_and(|m| n < m) {
                    self.errors.push((path.to_string(), "below minimum"));
                }
                if s.maximum.is_some_and(|m| n > m) {
                    self.errors.push((path.to_string(), "above maximum"));
                }
            }
            Value::Object(_) | Value::FrozenObject(_) => {
                for r in &s.required {
                    if crate::builtins::own_property(self.vm, v, r).is_none_or(Value::is_undefined)
                    {
                        self.errors
                            .push((format!("{path}/{r}"), "missing required field"));
                    }
                }
                for (k, sub) in &s.properties {
                    let pv =
                        crate::builtins::own_property(self.vm, v, k).unwrap_or(Value::Undefined);
                    if !pv.is_undefined() {
                        self.check(sub, pv, &format!("{path}/{k}"))?;
                    }
                }
            }
            _ if v.is_array() => {
                if let Some(items) = &s.items {
                    for i in 0..array::len(v) {
                        let item = array::get(self.vm, v, i);
                        self.check(items, item, &format!("{path}/{i}"))?;
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Converts strings to the number/integer/boolean the schema asks for (form and query data).
pub(crate) fn coerce<'a>(vm: &mut Vm<'a, '_>, s: &Schema, v: Value<'a>) -> Result<Value<'a>, Trap> {
    if let Value::Str(text) = v {
        if s.types.iter().any(|t| t == "number" || t == "integer") {
            let n = crate::js::number::string_to_number(text);
            if !n.is_nan() && !text.trim().is_empty() {
                return Ok(Value::Num(n));
            }
        }
        if s.types.iter().any(|t| t == "boolean") && (text == "true" || text == "false") {
            return Ok(Value::Bool(text == "true"));
        }
    }
    if let Value::Object(o) = v {
        for (k, sub) in &s.properties {
            if let Some(pv) = o.get(k) {
                let c = coerce(vm, sub, pv)?;
                let key: &'a str = vm.arena.alloc_str(k);
                o.set(key, c);
            }
        }
    }
    if let (Value::Array(a), Some(items)) = (v, &s.items) {
        let n = a.items.borrow().len();
        for i in 0..n {
            let item = a.items.borrow()[i];
            let c = coerce(vm, items, item)?;
            a.items.borrow_mut()[i] = c;
        }
    }
    Ok(v)
}

/// Validates `value`: `{ok: true, value}` or `{ok: false, errors: [{path, message}]}`.
pub(crate) fn result<'a>(
    vm: &mut Vm<'a, '_>,
    schema: &Schema,
    value: Value<'a>,
) -> Result<Value<'a>, Trap> {
    let mut checker = Checker {
        vm,
        errors: Vec::new(),
    };
    checker.check(schema, value, "")?;
    let errors = checker.errors;
    if errors.is_empty() {
        return Ok(crate::builtins::result::ok(vm, value));
    }
    let mut list = bumpalo::collections::Vec::new_in(vm.arena);
    for (path, message) in errors {
        let e = Object::with_capacity_in(vm.arena, Class::Plain, 2);
        e.set("path", Value::Str(vm.arena.alloc_str(&path)));
        e.set("message", Value::Str(message));
        list.push(Value::Object(e));
    }
    let r = Object::with_capacity_in(vm.arena, Class::Result, 2);
    r.set("ok", Value::Bool(false));
    r.set(
        "errors",
        Value::Array(vm.arena.alloc(Array {
            items: std::cell::RefCell::new(list),
        })),
    );
    Ok(Value::Object(r))
}

/// The compiled schema `name`, if any.
pub(crate) fn lookup(vm: &Vm<'_, '_>, name: &str) -> Option<Arc<Schema>> {
    vm.services
        .schemas
        .map
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(name)
        .cloned()
}

/// `{ok: false, error: message}`.
pub(crate) fn error_result<'a>(vm: &Vm<'a, '_>, message: &'a str) -> Value<'a> {
    crate::builtins::result::err(vm, Value::Str(message))
}

pub fn call<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let name = str_arg(vm, args, 0)?;
    match f {
        ModFn::SchemaCompile | ModFn::SchemaDrop => {
            if vm.image().is_some() {
                return Err(Trap::new(
                    TrapKind::FrozenWrite,
                    "schemas are compiled by module-level code only (module state is frozen after load)",
                ));
            }
            let mut map = vm
                .services
                .schemas
                .map
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if f == ModFn::SchemaDrop {
                return Ok(Value::Bool(map.remove(name).is_some()));
            }
            let text = str_arg(vm, args, 1)?;
            let compiled = serde_json::from_str::<Json>(text)
                .map_err(|e| e.to_string())
                .and_then(|j| compile(&j, 0));
            Ok(match compiled {
                Ok(schema) => {
                    map.insert(name.to_string(), Arc::new(schema));
                    Value::Bool(true)
                }
                Err(_) => Value::Bool(false),
            })
        }
        _ => {
            let Some(schema) = lookup(vm, name) else {
                return Ok(error_result(vm, "schema not found"));
            };
            let value = if f == ModFn::ValidateObject {
                args.get(1).copied().unwrap_or(Value::Undefined)
            } else {
                let text = str_arg(vm, args, 1)?;
                match crate::builtins::json::parse_str(vm, text)? {
                    Some(v) => v,
                    None => return Ok(error_result(vm, "invalid JSON")),
                }
            };
            let value = if f == ModFn::CoerceJson {
                coerce(vm, &schema, value)?
            } else {
                value
            };
            result(vm, &schema, value)
        }
    }
}
