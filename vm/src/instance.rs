//! Loading a verified bundle into a frozen image, and running requests on it.

use crate::builtins::response::{HandlerResponse, RequestParts, build_request, response_of};
use crate::host::Host;
use crate::image::Image;
use crate::interp::{Callee, ExecLimits, Globals, Vm};
use crate::services::Services;
use crate::trap::Trap;
use crate::value::{Captures, Value};
use bumpalo::Bump;
use bumpalo::collections::Vec as BVec;
use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;
use zigts_verifier::VerifiedBundle;

/// An argument to an exported callback ([`Instance::call_export`]).
#[derive(Clone, Copy, Debug)]
pub enum CallbackArg<'s> {
    Num(f64),
    Str(&'s str),
}

/// Why a bundle could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// The module-level code trapped.
    Init(Trap),
    /// Module-level state could not be frozen.
    Freeze(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Init(t) => write!(f, "module initialization failed: {t}"),
            LoadError::Freeze(m) => write!(f, "cannot freeze module state: {m}"),
        }
    }
}

impl std::error::Error for LoadError {}

/// A loaded program: verified code plus its frozen image. `Send + Sync`:
/// one instance serves every worker.
#[derive(Debug)]
pub struct Instance {
    program: Arc<VerifiedBundle>,
    services: Arc<Services>,
    image: Image,
    handler: Option<u32>,
}

impl Instance {
    /// Runs the module initializer once and freezes the result, under the
    /// least policy the program's contract needs (fresh module state).
    pub fn load(
        program: Arc<VerifiedBundle>,
        host: &mut dyn Host,
        limits: ExecLimits,
    ) -> Result<Instance, LoadError> {
        let policy = crate::policy::Policy::from_contract(program.contract());
        Instance::load_with(program, Arc::new(Services::new(policy)), host, limits)
    }

    /// [`Instance::load`] with explicit shared module state and policy.
    pub fn load_with(
        program: Arc<VerifiedBundle>,
        services: Arc<Services>,
        host: &mut dyn Host,
        limits: ExecLimits,
    ) -> Result<Instance, LoadError> {
        let image = {
            let arena = Bump::new();
            let n = program.bundle().module.globals.len();
            let mut globals = BVec::with_capacity_in(n, &arena);
            globals.resize(n, Value::Undefined);
            let mut vm = Vm::new(
                &arena,
                &program,
                Globals::Init(RefCell::new(globals)),
                &services,
                host,
                limits,
            );
            vm.call_function(
                Callee {
                    func: 0,
                    captures: Captures::Cells(&[]),
                },
                &[],
            )
            .map_err(LoadError::Init)?;
            let Globals::Init(globals) = &vm.globals else {
                return Err(LoadError::Freeze("internal: globals already frozen".into()));
            };
            let frozen = Image::freeze(&globals.borrow());
            frozen.map_err(|e| LoadError::Freeze(e.0))?
        };
        let handler = program
            .bundle()
            .module
            .exports
            .iter()
            .find(|e| e.name == "handler")
            .map(|e| e.global);
        Ok(Instance {
            program,
            services,
            image,
            handler,
        })
    }

    /// The shared module state (policy, cache, schemas, counters).
    pub fn services(&self) -> &Arc<Services> {
        &self.services
    }

    /// Whether the program exports `handler`.
    pub fn has_handler(&self) -> bool {
        self.handler.is_some()
    }

    /// The verified program (shared: each test case loads a fresh instance of it).
    pub fn program(&self) -> &Arc<VerifiedBundle> {
        &self.program
    }

    /// Whether the program exports a binding named `name`.
    pub fn exports(&self, name: &str) -> bool {
        self.export_global(name).is_some()
    }

    fn export_global(&self, name: &str) -> Option<u32> {
        self.program
            .bundle()
            .module
            .exports
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.global)
    }

    /// Calls the exported function `name` (a WebSocket callback) with
    /// `args` in `arena`. `Ok(false)` when nothing of that name is exported;
    /// the return value is ignored.
    pub fn call_export<'a>(
        &'a self,
        arena: &'a Bump,
        name: &str,
        args: &[CallbackArg<'_>],
        host: &mut dyn Host,
        limits: ExecLimits,
    ) -> Result<bool, Trap> {
        let Some(g) = self.export_global(name) else {
            return Ok(false);
        };
        let (mut vm, f) = self.request_vm(arena, g, host, limits);
        let values: smallvec::SmallVec<[Value<'a>; 4]> = args
            .iter()
            .map(|a| match *a {
                CallbackArg::Num(n) => Value::Num(n),
                CallbackArg::Str(s) => Value::Str(arena.alloc_str(s)),
            })
            .collect();
        vm.call(f, &values)?;
        Ok(true)
    }

    /// A VM over the frozen image for one request (or callback) in `arena`,
    /// and the value of global `g` (the function to call).
    fn request_vm<'a, 'h>(
        &'a self,
        arena: &'a Bump,
        g: u32,
        host: &'h mut dyn Host,
        limits: ExecLimits,
    ) -> (Vm<'a, 'h>, Value<'a>) {
        let vm = Vm::new(
            arena,
            &self.program,
            Globals::Image(&self.image),
            &self.services,
            host,
            limits,
        );
        (vm, self.image.value(&self.image.globals[g as usize]))
    }

    /// Runs the handler for one request in `arena`. The caller writes the
    /// response out and then resets the arena.
    pub fn handle<'a>(
        &'a self,
        arena: &'a Bump,
        req: &RequestParts<'_>,
        host: &mut dyn Host,
        limits: ExecLimits,
    ) -> Result<HandlerResponse<'a>, Trap> {
        let Some(g) = self.handler else {
            return Err(Trap::type_error(
                "the program does not export a function named 'handler'",
            ));
        };
        let (mut vm, handler) = self.request_vm(arena, g, host, limits);
        let request = build_request(&mut vm, req);
        let result = vm.call(handler, &[request])?;
        response_of(&mut vm, result)
    }
}
