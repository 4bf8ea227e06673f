//! Ids (of conversations), normalised by the shell so that `123` and `"123"` are equal.

/// An id as the core compares it. The shell maps canonical decimal text (`"42"`, not `"042"`)
/// to [`Key::Int`] and interns any other text to a number, so no text crosses into wasm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    /// A safe integer, whether it came as a number or as its canonical decimal text.
    Int(i64),
    /// Any other text (including non-integral numbers in their JS text form), interned.
    Text(u32),
}
