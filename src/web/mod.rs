//! The browser shell: carries out the core's decisions with web-sys, js-sys and gloo-timers,
//! and owns every JS closure in a Rust value whose `Drop` releases it.

pub(crate) mod js;
pub(crate) mod delivery;
pub(crate) mod driver;
pub(crate) mod live;
pub(crate) mod notify;
pub(crate) mod options;
pub(crate) mod page;
pub(crate) mod shell;
pub(crate) mod socket;
pub(crate) mod storage;
pub(crate) mod tabs;
pub(crate) mod store;
pub(crate) mod url;
