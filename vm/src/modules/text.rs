//! `zigttp:text`: HTML escaping, slugs, truncation, masking.

use super::{ModFn, str_arg};
use crate::interp::{Vm, to_number};
use crate::trap::Trap;
use crate::value::Value;
use bumpalo::collections::String as BString;

pub fn call<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let s = str_arg(vm, args, 0)?;
    let mut out = BString::with_capacity_in(s.len(), vm.arena);
    match f {
        ModFn::EscapeHtml => {
            for c in s.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&#39;"),
                    c => out.push(c),
                }
            }
        }
        ModFn::UnescapeHtml => {
            let mut rest = s;
            while let Some(i) = rest.find('&') {
                out.push_str(&rest[..i]);
                rest = &rest[i..];
                let entity = [
                    ("&amp;", '&'),
                    ("&lt;", '<'),
                    ("&gt;", '>'),
                    ("&quot;", '"'),
                    ("&#39;", '\''),
                    ("&#x27;", '\''),
                ]
                .into_iter()
                .find(|(e, _)| rest.starts_with(e));
                if let Some((e, c)) = entity {
                    out.push(c);
                    rest = &rest[e.len()..];
                } else {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
            out.push_str(rest);
        }
        ModFn::Slugify => {
            for word in s
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
            {
                if !out.is_empty() {
                    out.push('-');
                }
                out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
            }
        }
        ModFn::Truncate => {
            let max = to_number(vm, args.get(1).copied().unwrap_or(Value::Undefined))?;
            let suffix = match args.get(2).copied() {
                None | Some(Value::Undefined) => "...",
                Some(v) => crate::interp::to_property_key(vm, v)?,
            };
            let len = s.chars().count();
            let max = if max.is_nan() {
                0
            } else {
                max.max(0.0).min(len as f64) as usize
            };
            if len <= max {
                return Ok(Value::Str(s));
            }
            let keep = max.saturating_sub(suffix.chars().count());
            out.extend(s.chars().take(keep));
            out.push_str(suffix);
        }
        ModFn::Mask => {
            let visible = match args.get(1).copied() {
                None | Some(Value::Undefined) => 4.0,
                Some(v) => to_number(vm, v)?,
            };
            let visible = if visible.is_nan() {
                0
            } else {
                visible.max(0.0) as usize
            };
            let len = s.chars().count();
            let hidden = len.saturating_sub(visible);
            for (i, c) in s.chars().enumerate() {
                out.push(if i < hidden { '*' } else { c });
            }
        }
        _ => return Err(Trap::new(crate::trap::TrapKind::Internal, "text dispatch")),
    }
    Ok(Value::Str(out.into_bump_str()))
}
