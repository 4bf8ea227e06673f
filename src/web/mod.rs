//! The browser shell: carries out the core's actions with web-sys and calls JS listeners.

pub mod decode;
pub mod driver;
pub mod js;
pub mod options;
pub mod socket;
pub mod url;
