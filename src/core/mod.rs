//! The pure core: no web-sys, no clock, no randomness it does not control. Every input carries
//! `now`; outputs are actions and listener ids for the shell to carry out.

pub mod backoff;
pub mod client;
pub mod connection;
pub mod dedup;
pub mod frame;
pub mod inbox;
pub mod key;
pub mod limit;
pub mod options;
pub mod outbox;
pub mod presence;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props;
pub mod receipts;
pub mod rng;
pub mod router;
pub mod stats;
pub mod tabs;
pub mod text;
pub mod texts;
pub mod time;
pub mod typing;
pub mod unread;
pub mod vecmap;
