//! The browser shell: carries out the core's actions with web-sys and calls JS listeners.

pub mod decode;
pub mod driver;
pub mod inbox;
pub mod js;
pub mod notify;
pub mod options;
pub mod page;
pub mod socket;
pub mod timer;
pub mod url;
