//! The browser suite: `realtime_context::RealtimeContext` in a real browser (headless Chromium
//! and Firefox through `wasm-pack test`) against the real local test server
//! (tests/support/server.mjs), whose address tests/web.test.mjs passes in `REALTIME_TEST_WS` at
//! compile time. No mocked socket and no timing thresholds: waits poll for a condition with a
//! generous limit. One module per area; the helpers are in tests/web/support.rs.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test_configure;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "web/support.rs"]
mod support;

#[path = "web/adapters.rs"]
mod adapters;
#[path = "web/connection.rs"]
mod connection;
#[path = "web/delivery.rs"]
mod delivery;
#[path = "web/free.rs"]
mod free;
#[path = "web/live.rs"]
mod live;
#[path = "web/notifications.rs"]
mod notifications;
#[path = "web/options.rs"]
mod options;
#[path = "web/routing.rs"]
mod routing;
#[path = "web/store.rs"]
mod store;
#[path = "web/tabs.rs"]
mod tabs;
