//! Reading parsed JS messages: the core's [`JsonView`] over `JsValue`, and conversation ids.

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::key::Key;
use crate::core::frame::JsonView;

use super::js::to_js_string;

impl JsonView for JsValue {
    type Key = JsValue;

    fn array_len(&self) -> Option<u32> {
        Array::is_array(self).then(|| self.unchecked_ref::<Array>().length())
    }

    fn item(&self, index: u32) -> Self {
        self.unchecked_ref::<Array>().get(index)
    }

    fn is_object(&self) -> bool {
        JsValue::is_object(self)
    }

    fn text_field(&self, key: &JsValue) -> Option<Self> {
        Reflect::get(self, key).ok().filter(JsValue::is_string)
    }
}

/// The key of an id given as a number or a string; `None` for anything else.
pub fn id_key(id: &JsValue) -> Option<Key> {
    if let Some(n) = id.as_f64() {
        if !n.is_finite() {
            return None;
        }
        return Key::from_number(n).or_else(|| Some(Key::from_text(&String::from(to_js_string(id)))));
    }
    id.as_string().map(|text| Key::from_text(&text))
}

/// The id a message carries in field `key`, normalised and as given.
pub fn id_field(message: &JsValue, key: &JsValue) -> Option<(Key, JsValue)> {
    let id = Reflect::get(message, key).ok()?;
    Some((id_key(&id)?, id))
}

