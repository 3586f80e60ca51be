//! The JSX runtime: `h(tag, props, ...children)` builds an element and
//! `renderToString(node)` renders HTML (reference-language section 5.4 with
//! DESIGN section 10's fixes: floats render as JS prints them, booleans render
//! nothing, `<Fragment>` is `<>`).

use super::object::own_entries;
use super::{array, call_value, get_property};
use crate::interp::{Vm, append_value};
use crate::trap::Trap;
use crate::value::{Array, Class, Object, Value};
use bumpalo::collections::{String as BString, Vec as BVec};

/// Elements written as `<tag ... />` with no children.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Rendering depth limit (components calling components).
const MAX_DEPTH: usize = 256;

fn flatten_into<'a>(
    vm: &Vm<'a, '_>,
    out: &mut BVec<'a, Value<'a>>,
    v: Value<'a>,
    level: usize,
) -> Result<(), Trap> {
    if v.is_array() {
        super::nested(level, "JSX children", || {
            for i in 0..array::len(v) {
                flatten_into(vm, out, array::get(vm, v, i), level + 1)?;
            }
            Ok(())
        })?;
    } else if !v.is_undefined() {
        out.push(v);
    }
    Ok(())
}

/// `h(tag, props, ...children)`: `{ tag, props, children }` with nested
/// arrays flattened and undefined children dropped.
pub fn h<'a>(vm: &mut Vm<'a, '_>, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let tag = args.first().copied().unwrap_or(Value::Undefined);
    let props = match args.get(1).copied() {
        Some(p @ (Value::Object(_) | Value::FrozenObject(_))) => p,
        _ => Value::Undefined,
    };
    let mut children = BVec::new_in(vm.arena);
    for c in args.iter().skip(2) {
        flatten_into(vm, &mut children, *c, 0)?;
    }
    let el = Object::with_capacity_in(vm.arena, Class::Element, 3);
    el.set("tag", tag);
    el.set("props", props);
    el.set(
        "children",
        Value::Array(vm.arena.alloc(Array {
            items: std::cell::RefCell::new(children),
        })),
    );
    Ok(Value::Object(el))
}

fn escape_text(out: &mut BString<'_>, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

fn escape_attr(out: &mut BString<'_>, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
}

/// `renderToString(node)`.
pub fn render_to_string<'a>(vm: &mut Vm<'a, '_>, node: Value<'a>) -> Result<Value<'a>, Trap> {
    let mut out = BString::new_in(vm.arena);
    render(vm, &mut out, node, false, 0)?;
    vm.check_arena()?;
    Ok(Value::Str(out.into_bump_str()))
}

fn is_element(v: Value<'_>) -> bool {
    matches!(v, Value::Object(o) if o.class == Class::Element)
        || matches!(v, Value::FrozenObject(o) if o.class == Class::Element)
}

fn render<'a>(
    vm: &mut Vm<'a, '_>,
    out: &mut BString<'a>,
    node: Value<'a>,
    raw: bool,
    depth: usize,
) -> Result<(), Trap> {
    if depth > MAX_DEPTH {
        return Err(Trap::range_error("JSX nested too deeply"));
    }
    match node {
        Value::Undefined | Value::Bool(_) => {}
        Value::Str(s) => {
            if raw {
                out.push_str(s);
            } else {
                escape_text(out, s);
            }
        }
        Value::Num(_) => append_value(vm, out, node)?,
        Value::Array(_) | Value::FrozenArray(_) => {
            for i in 0..array::len(node) {
                let child = array::get(vm, node, i);
                render(vm, out, child, raw, depth + 1)?;
            }
        }
        v if is_element(v) => {
            let tag = get_property(vm, v, "tag")?;
            let props = get_property(vm, v, "props")?;
            let children = get_property(vm, v, "children")?;
            match tag {
                Value::Undefined => render(vm, out, children, raw, depth + 1)?,
                Value::Str(name) => element(vm, out, name, props, children, depth)?,
                f if f.is_callable() => {
                    let with_children = Object::new_in(vm.arena, Class::Plain);
                    for (k, pv) in own_entries(vm, props) {
                        with_children.set(k, pv);
                    }
                    with_children.set("children", children);
                    let rendered = call_value(vm, f, &[Value::Object(with_children)])?;
                    render(vm, out, rendered, raw, depth + 1)?;
                }
                other => {
                    let what = crate::interp::to_property_key(vm, other)?;
                    return Err(Trap::type_error(format!(
                        "JSX tag {what} is neither a string nor a component"
                    )));
                }
            }
        }
        other => {
            let mut s = BString::new_in(vm.arena);
            append_value(vm, &mut s, other)?;
            escape_text(out, &s);
        }
    }
    Ok(())
}

fn element<'a>(
    vm: &mut Vm<'a, '_>,
    out: &mut BString<'a>,
    name: &str,
    props: Value<'a>,
    children: Value<'a>,
    depth: usize,
) -> Result<(), Trap> {
    out.push('<');
    out.push_str(name);
    for (k, v) in own_entries(vm, props) {
        if k == "children"
            || k.starts_with("on")
            || matches!(v, Value::Undefined | Value::Bool(false))
            || v.is_callable()
        {
            continue;
        }
        out.push(' ');
        out.push_str(if k == "className" { "class" } else { k });
        if matches!(v, Value::Bool(true)) {
            continue;
        }
        out.push_str("=\"");
        match v {
            Value::Str(s) => escape_attr(out, s),
            other => {
                let mut s = BString::new_in(vm.arena);
                append_value(vm, &mut s, other)?;
                escape_attr(out, &s);
            }
        }
        out.push('"');
    }
    if VOID.contains(&name) {
        out.push_str(" />");
        return Ok(());
    }
    out.push('>');
    let raw = name == "style" || name == "script";
    render(vm, out, children, raw, depth + 1)?;
    out.push_str("</");
    out.push_str(name);
    out.push('>');
    Ok(())
}
