//! `zigttp:decode`: typed request ingress through the schemas compiled with
//! `zigttp:validate`. `decodeJson` parses and validates a JSON body;
//! `decodeForm` and `decodeQuery` take string data (an urlencoded body, the
//! request's query object) and coerce each value to the number, integer,
//! boolean or array the schema asks for before validating. Each answers the
//! same Result as `validateJson`.

use super::validate::{self, Schema};
use super::{ModFn, str_arg};
use crate::builtins::object::own_entries;
use crate::builtins::response::percent_decode;
use crate::interp::Vm;
use crate::trap::{Trap, TrapKind};
use crate::value::{Array, Class, Object, Value};

fn wants(s: &Schema, t: &str) -> bool {
    s.types.iter().any(|x| x == t)
}

/// Appends `v` to the array-valued property `key` (repeated form keys).
fn push_value<'a>(vm: &Vm<'a, '_>, o: &'a Object<'a>, key: &'a str, v: Value<'a>) {
    match o.get(key) {
        Some(Value::Array(a)) => a.items.borrow_mut().push(v),
        _ => o.set(key, Value::Array(Array::from_iter_in(vm.arena, [v]))),
    }
}

/// The string form of query values the request already turned into
/// numbers (`?page=2`), so that coercion sees the original text.
fn as_text<'a>(vm: &mut Vm<'a, '_>, v: Value<'a>) -> Result<Value<'a>, Trap> {
    Ok(match v {
        Value::Num(_) | Value::Bool(_) => Value::Str(crate::interp::to_property_key(vm, v)?),
        other => other,
    })
}

/// Builds a fresh object of string (or string array) values from
/// `entries`, shaped by the schema: a property whose schema is an array
/// collects every value given for it; any other property keeps the last.
fn shape<'a>(
    vm: &mut Vm<'a, '_>,
    schema: &Schema,
    entries: impl IntoIterator<Item = (&'a str, Value<'a>)>,
) -> Result<&'a Object<'a>, Trap> {
    let o = Object::new_in(vm.arena, Class::Plain);
    for (k, v) in entries {
        let is_array = schema
            .properties
            .iter()
            .find(|(name, _)| name == k)
            .is_some_and(|(_, sub)| wants(sub, "array"));
        if is_array {
            if let Value::Array(a) = v {
                let items: Vec<Value<'a>> = a.items.borrow().iter().copied().collect();
                for item in items {
                    let item = as_text(vm, item)?;
                    push_value(vm, o, k, item);
                }
            } else {
                let v = as_text(vm, v)?;
                push_value(vm, o, k, v);
            }
        } else {
            let v = as_text(vm, v)?;
            o.set(k, v);
        }
    }
    Ok(o)
}

/// `key=value&...` pairs, `+` and `%XX` decoded; empty keys are skipped.
fn form_pairs<'a>(vm: &Vm<'a, '_>, body: &'a str) -> Vec<(&'a str, Value<'a>)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let k = percent_decode(vm.arena, k);
            (!k.is_empty()).then(|| (k, Value::Str(percent_decode(vm.arena, v))))
        })
        .collect()
}

pub fn call<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let name = str_arg(vm, args, 0)?;
    let data = args.get(1).copied().unwrap_or(Value::Undefined);
    let Some(schema) = validate::lookup(vm, name) else {
        return Ok(validate::error_result(vm, "schema not found"));
    };
    let value = match f {
        ModFn::DecodeJson => {
            let text = match data {
                Value::Undefined => "",
                _ => str_arg(vm, args, 1)?,
            };
            match crate::builtins::json::parse_str(vm, text)? {
                Some(v) => v,
                None => return Ok(validate::error_result(vm, "invalid JSON")),
            }
        }
        ModFn::DecodeForm => {
            let body = match data {
                Value::Undefined => "",
                _ => str_arg(vm, args, 1)?,
            };
            let pairs = form_pairs(vm, body);
            let o = shape(vm, &schema, pairs)?;
            validate::coerce(vm, &schema, Value::Object(o))?
        }
        ModFn::DecodeQuery => {
            if !matches!(data, Value::Object(_) | Value::FrozenObject(_)) {
                return Ok(validate::error_result(vm, "query must be an object"));
            }
            let entries = own_entries(vm, data);
            let o = shape(vm, &schema, entries)?;
            validate::coerce(vm, &schema, Value::Object(o))?
        }
        _ => return Err(Trap::new(TrapKind::Internal, "decode dispatch")),
    };
    validate::result(vm, &schema, value)
}
