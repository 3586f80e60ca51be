//! zigts-vm: values, the frozen image and request arena, the register
//! interpreter, built-ins and virtual modules.
//!
//! The only way in is a [`zigts_verifier::VerifiedBundle`]:
//! [`Instance::load`] runs the module initializer once and freezes the
//! result; [`Instance::handle`] runs one request in a caller-provided
//! `bumpalo::Bump` that the caller resets afterwards.

pub mod builtins;
pub mod host;
pub mod image;
pub mod instance;
pub mod interp;
pub mod js;
pub mod modules;
pub mod policy;
pub mod services;
pub mod trap;
pub mod value;

pub use builtins::response::{HandlerResponse, RequestParts};
pub use host::{Host, QuietHost, SystemHost};
pub use instance::{CallbackArg, Instance, LoadError};
pub use interp::ExecLimits;
pub use policy::{Allow, Policy};
pub use services::Services;
pub use trap::{Trap, TrapData, TrapKind, TrapLocation};
pub use value::Value;
