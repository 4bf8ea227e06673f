//! One browser timeout whose callback is owned here; dropping it cancels it.

use crate::prelude::*;

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &JsValue, ms: u32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// A pending `setTimeout`; cancelled when dropped.
pub struct Timeout {
    id: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Timeout {
    /// Calls `callback` once after `ms` milliseconds, unless dropped first.
    pub fn new(ms: u32, callback: impl FnMut() + 'static) -> Timeout {
        let callback = Closure::<dyn FnMut()>::wrap(Box::new(callback));
        Timeout { id: set_timeout(callback.as_ref(), ms), _callback: callback }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}
