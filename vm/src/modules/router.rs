//! `zigttp:router`: `routerMatch(routes, req)` matches `"METHOD /pattern"`
//! keys in insertion order; `:name` captures a segment, `*` matches the rest.

use crate::builtins::{get_property, object::own_entries};
use crate::interp::Vm;
use crate::trap::Trap;
use crate::value::{Class, Object, Value};

/// Most `:params` captured by one route.
const MAX_PARAMS: usize = 16;

pub fn router_match<'a>(
    vm: &mut Vm<'a, '_>,
    routes: Value<'a>,
    req: Value<'a>,
) -> Result<Value<'a>, Trap> {
    let method = get_property(vm, req, "method")?;
    let method = crate::interp::to_property_key(vm, method)?;
    let path = if let Value::Str(p) = get_property(vm, req, "path")? {
        p
    } else {
        let url = get_property(vm, req, "url")?;
        let url = crate::interp::to_property_key(vm, url)?;
        url.split('?').next().unwrap_or(url)
    };
    for (key, handler) in own_entries(vm, routes) {
        let Some((m, pattern)) = key.split_once(' ') else {
            continue;
        };
        if !m.eq_ignore_ascii_case(method) {
            continue;
        }
        let params = Object::new_in(vm.arena, Class::Plain);
        if matches(pattern, path, params) {
            let found = Object::with_capacity_in(vm.arena, Class::Plain, 2);
            found.set("handler", handler);
            found.set("params", Value::Object(params));
            return Ok(Value::Object(found));
        }
    }
    Ok(Value::Undefined)
}

fn matches<'a>(pattern: &'a str, path: &'a str, params: &Object<'a>) -> bool {
    let mut pat = pattern.split('/');
    let mut segs = path.split('/');
    let mut captured = 0;
    loop {
        match (pat.next(), segs.next()) {
            (Some("*"), _) => return true,
            (Some(p), Some(s)) if p.starts_with(':') && p.len() > 1 => {
                if s.is_empty() || captured == MAX_PARAMS {
                    return false;
                }
                captured += 1;
                params.set(&p[1..], Value::Str(s));
            }
            (Some(p), Some(s)) if p == s => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}
