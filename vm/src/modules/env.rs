//! `zigttp:env`: `env(name)` reads an environment variable the policy allows.

use crate::interp::Vm;
use crate::trap::Trap;
use crate::value::Value;

/// `env(name)`: the value, or undefined when unset. The name was checked
/// against the policy by the caller.
pub fn env<'a>(vm: &mut Vm<'a, '_>, name: Value<'a>) -> Result<Value<'a>, Trap> {
    let name = crate::interp::to_property_key(vm, name)?;
    Ok(match vm.host.env(name) {
        Some(v) => Value::Str(vm.arena.alloc_str(&v)),
        None => Value::Undefined,
    })
}
