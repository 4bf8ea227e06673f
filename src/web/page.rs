//! The page's visibility: read once, then followed through `visibilitychange` so the
//! per-message path never asks the DOM.

use alloc::rc::Weak;

use wasm_bindgen::prelude::*;
use web_sys::{Document, VisibilityState};

use super::shell::Shell;

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// Whether the page is visible (`true` where there is no document).
pub(crate) fn is_visible() -> bool {
    document().is_none_or(|d| d.visibility_state() == VisibilityState::Visible)
}

/// Tells the shell whenever the page's visibility changes; stops listening when dropped.
pub(crate) struct VisibilityWatch {
    document: Document,
    listener: Closure<dyn FnMut()>,
}

impl VisibilityWatch {
    /// Starts watching, or `None` where there is no document.
    pub(crate) fn start(shell: Weak<Shell>) -> Option<VisibilityWatch> {
        let document = document()?;
        let listener = Closure::<dyn FnMut()>::new(move || {
            if let Some(shell) = shell.upgrade() {
                shell.on_visibility(is_visible());
            }
        });
        document.add_event_listener_with_callback("visibilitychange", listener.as_ref().unchecked_ref()).ok()?;
        Some(VisibilityWatch { document, listener })
    }
}

impl Drop for VisibilityWatch {
    fn drop(&mut self) {
        let _ = self.document.remove_event_listener_with_callback("visibilitychange", self.listener.as_ref().unchecked_ref());
    }
}
