//! Every limit the decoder and verifier enforce, in one place.

/// Structural limits on a bundle. No size or shape of input skips a check:
/// these only bound how much work and memory a bundle may ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Whole bundle file, bytes (64 MiB: far above any handler we know of).
    pub max_bundle_bytes: usize,
    /// Functions per bundle (the function index space is u32; 65,536 is plenty).
    pub max_functions: usize,
    /// Registers per function (the register operand is u16).
    pub max_registers: usize,
    /// Code bytes per function (4 MiB).
    pub max_code_bytes: usize,
    /// Constants per bundle.
    pub max_constants: usize,
    /// Atoms per bundle.
    pub max_atoms: usize,
    /// Bytes of one string constant or atom (1 MiB).
    pub max_string_bytes: usize,
    /// Module imports per bundle.
    pub max_imports: usize,
    /// Module-level bindings per bundle.
    pub max_globals: usize,
    /// Captured cells per closure.
    pub max_captures: usize,
    /// Depth of lexical function nesting (the parent chain).
    pub max_nesting: usize,
    /// Parameters per function.
    pub max_params: usize,
    /// Working memory of the definite-assignment pass, in 64-bit words
    /// (basic blocks x registers / 64; 8 Mi words = 64 MiB).
    pub max_dataflow_words: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bundle_bytes: 64 << 20,
            max_functions: 65_536,
            max_registers: 65_535,
            max_code_bytes: 4 << 20,
            max_constants: 1 << 20,
            max_atoms: 1 << 20,
            max_string_bytes: 1 << 20,
            max_imports: 4_096,
            max_globals: 65_535,
            max_captures: 1_024,
            max_nesting: 64,
            max_params: 255,
            max_dataflow_words: 8 << 20,
        }
    }
}
