//! What the standard prelude would bring: the crate is `no_std` with `alloc`.

pub use alloc::borrow::ToOwned;
pub use alloc::boxed::Box;
pub use alloc::string::String;
pub use alloc::vec;
pub use alloc::vec::Vec;

/// The standard prelude and its macros, for tests.
#[cfg(test)]
pub mod test {
    pub use super::*;
    pub use std::format;
    pub use std::string::ToString;
}
