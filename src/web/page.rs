//! The page's visibility and network: read once, then followed through `visibilitychange`,
//! `online` and `offline`, so the per-message path never asks the DOM.

use alloc::rc::Weak;

use wasm_bindgen::prelude::*;
use web_sys::{Document, EventTarget, VisibilityState};

use super::shell::Shell;

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// Whether the page is visible (`true` where there is no document).
pub(crate) fn is_visible() -> bool {
    document().is_none_or(|d| d.visibility_state() == VisibilityState::Visible)
}

/// `navigator.onLine` (`true` where there is no window).
pub(crate) fn is_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// One closure listening to some events of one target; removed when dropped.
struct Listener {
    target: EventTarget,
    events: &'static [&'static str],
    closure: Closure<dyn FnMut()>,
}

impl Listener {
    fn add(target: EventTarget, events: &'static [&'static str], closure: Closure<dyn FnMut()>) -> Option<Listener> {
        for event in events {
            target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref()).ok()?;
        }
        Some(Listener { target, events, closure })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        for event in self.events {
            let _ = self.target.remove_event_listener_with_callback(event, self.closure.as_ref().unchecked_ref());
        }
    }
}

/// Tells the shell whenever the page's visibility or the network changes; stops when dropped.
pub(crate) struct PageWatch {
    _visibility: Option<Listener>,
    _network: Option<Listener>,
}

impl PageWatch {
    /// Starts watching what the page has (a worker has neither document nor window events).
    pub(crate) fn start(shell: Weak<Shell>) -> PageWatch {
        let weak = shell.clone();
        let visibility = document().and_then(|d| {
            let on_change = Closure::<dyn FnMut()>::new(move || {
                if let Some(shell) = weak.upgrade() {
                    shell.on_visibility(is_visible());
                }
            });
            Listener::add(d.into(), &["visibilitychange"], on_change)
        });
        let network = web_sys::window().and_then(|w| {
            let on_change = Closure::<dyn FnMut()>::new(move || {
                if let Some(shell) = shell.upgrade() {
                    shell.on_network(is_online());
                }
            });
            Listener::add(w.into(), &["online", "offline"], on_change)
        });
        PageWatch { _visibility: visibility, _network: network }
    }
}
