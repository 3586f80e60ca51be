//! Definite assignment: every register an instruction reads has been written
//! on every path from the function entry to it.
//!
//! A forward data-flow analysis over the basic blocks: the set of assigned
//! registers entering a block is the intersection over its predecessors'
//! exits. Parameters are assigned at entry. `make_closure` reads the
//! registers its capture list names; `iter_next` writes its destination only
//! on the path that continues (not on the `done` jump). Unreachable blocks
//! keep the full set and never execute.

use super::Code;
use crate::bundle::{Bundle, Capture, Function};
use crate::error::{VerifyError, VerifyErrorKind};
use crate::isa::Op;
use crate::limits::Limits;
use crate::operand::{OperandValue, Role};

#[derive(Clone, PartialEq, Eq)]
struct Bits(Vec<u64>);

impl Bits {
    fn empty(words: usize) -> Self {
        Bits(vec![0; words])
    }
    fn has(&self, r: usize) -> bool {
        self.0[r / 64] & (1 << (r % 64)) != 0
    }
    fn set(&mut self, r: usize) {
        self.0[r / 64] |= 1 << (r % 64);
    }
    fn intersect(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
    }
}

/// Registers read by `op` (including capture reads of `make_closure`).
fn for_each_read(bundle: &Bundle, op: &Op, mut f: impl FnMut(usize)) {
    op.for_each_operand(|role, value| match (role, value) {
        (Role::In, OperandValue::Reg(r)) => f(r as usize),
        (Role::Args, OperandValue::Range { start, count }) => {
            (start as usize..start as usize + count as usize).for_each(&mut f);
        }
        _ => {}
    });
    if let Op::MakeClosure { f: callee, .. } = op {
        for cap in &bundle.functions[callee.0 as usize].captures {
            if let Capture::Local(r) = cap {
                f(r.0 as usize);
            }
        }
    }
}

/// Register written by `op`, if any.
fn write_of(op: &Op) -> Option<usize> {
    let mut out = None;
    op.for_each_operand(|role, value| {
        if let (Role::Out, OperandValue::Reg(r)) = (role, value) {
            out = Some(r as usize);
        }
    });
    out
}

struct Blocks {
    /// First instruction of each block; a block ends where the next begins.
    starts: Vec<usize>,
    block_of: Vec<usize>,
}

fn blocks(code: &Code) -> Blocks {
    let n = code.ops.len();
    let mut leader = vec![false; n];
    leader[0] = true;
    for (k, op) in code.ops.iter().enumerate() {
        if let Some(t) = op.target() {
            if let Some(idx) = code.index_of(t.0) {
                leader[idx] = true;
            }
            if k + 1 < n {
                leader[k + 1] = true;
            }
        }
        if !op.falls_through() && k + 1 < n {
            leader[k + 1] = true;
        }
    }
    let mut starts = Vec::new();
    let mut block_of = vec![0; n];
    for k in 0..n {
        if leader[k] {
            starts.push(k);
        }
        block_of[k] = starts.len() - 1;
    }
    Blocks { starts, block_of }
}

pub(crate) fn check(bundle: &Bundle, code: &[Code], limits: &Limits) -> Result<(), VerifyError> {
    for (i, (f, c)) in bundle.functions.iter().zip(code).enumerate() {
        check_function(bundle, i, f, c, limits)?;
    }
    Ok(())
}

fn check_function(
    bundle: &Bundle,
    i: usize,
    f: &Function,
    c: &Code,
    limits: &Limits,
) -> Result<(), VerifyError> {
    let words = (f.reg_count as usize).div_ceil(64).max(1);
    let bl = blocks(c);
    let nblocks = bl.starts.len();
    if nblocks.saturating_mul(words) > limits.max_dataflow_words {
        return Err(VerifyError::func(
            i,
            VerifyErrorKind::LimitExceeded {
                what: "verifier data-flow words",
                limit: limits.max_dataflow_words,
            },
        ));
    }
    let end_of = |b: usize| bl.starts.get(b + 1).copied().unwrap_or(c.ops.len());

    let mut entry = Bits::empty(words);
    for r in 0..(f.param_count as usize + usize::from(f.has_rest)) {
        entry.set(r);
    }
    let mut state_in: Vec<Option<Bits>> = vec![None; nblocks];
    state_in[0] = Some(entry);
    let mut work: Vec<usize> = vec![0];
    let mut queued = vec![false; nblocks];
    queued[0] = true;

    // Propagate `out` into block `b`, queueing it when its entry set shrinks.
    let propagate = |b: usize,
                     out: &Bits,
                     state_in: &mut Vec<Option<Bits>>,
                     work: &mut Vec<usize>,
                     queued: &mut Vec<bool>| {
        let changed = match &mut state_in[b] {
            Some(s) => {
                let before = s.clone();
                s.intersect(out);
                *s != before
            }
            slot @ None => {
                *slot = Some(out.clone());
                true
            }
        };
        if changed && !queued[b] {
            queued[b] = true;
            work.push(b);
        }
    };

    while let Some(b) = work.pop() {
        queued[b] = false;
        let Some(mut state) = state_in[b].clone() else {
            continue;
        };
        let last = end_of(b) - 1;
        for k in bl.starts[b]..=last {
            let op = &c.ops[k];
            if k == last
                && let Some(t) = op.target()
            {
                let mut jump_state = state.clone();
                if let (Some(w), false) = (write_of(op), matches!(op, Op::IterNext { .. })) {
                    jump_state.set(w);
                }
                if let Some(idx) = c.index_of(t.0) {
                    propagate(
                        bl.block_of[idx],
                        &jump_state,
                        &mut state_in,
                        &mut work,
                        &mut queued,
                    );
                }
            }
            if let Some(w) = write_of(op) {
                state.set(w);
            }
        }
        if c.ops[last].falls_through() && last + 1 < c.ops.len() {
            propagate(
                bl.block_of[last + 1],
                &state,
                &mut state_in,
                &mut work,
                &mut queued,
            );
        }
    }

    for (b, entry_state) in state_in.iter().enumerate() {
        let Some(mut state) = entry_state.clone() else {
            continue;
        };
        for k in bl.starts[b]..end_of(b) {
            let op = &c.ops[k];
            let mut bad = None;
            for_each_read(bundle, op, |r| {
                if bad.is_none() && !state.has(r) {
                    bad = Some(r);
                }
            });
            if let Some(r) = bad {
                return Err(VerifyError::at(
                    i,
                    c.pcs[k],
                    VerifyErrorKind::ReadBeforeWrite { reg: r as u16 },
                ));
            }
            if let Some(w) = write_of(op) {
                state.set(w);
            }
        }
    }
    Ok(())
}
