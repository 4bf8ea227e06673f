//! Reading parsed JS messages: the core's [`JsonView`] over `JsValue`, and conversation ids.

use crate::prelude::*;

use js_sys::{Array, Map, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::key::Key;
use crate::core::frame::{JsonView, Malformed, Shape};

use super::js::{conversation_code, shape_of, to_js_string};

/// The route key and the registered route values of one context.
pub struct Routes {
    /// The route key (`routeKey`).
    pub key: JsValue,
    /// Route value → type id.
    pub types: Map,
}

impl JsonView for JsValue {
    type Routes = Routes;

    fn shape(&self, routes: &Routes) -> Shape {
        match shape_of(self, &routes.key, &routes.types) {
            code if code >= 0.0 => Shape::Message(Some(code as u32)),
            -1.0 => Shape::Dropped(Malformed::NotAnObject),
            -2.0 => Shape::Dropped(Malformed::MissingRouteKey),
            -3.0 => Shape::Message(None),
            -4.0 => Shape::Dropped(Malformed::InvalidJson),
            batch => Shape::Batch((-10.0 - batch) as u32),
        }
    }

    fn item(&self, index: u32) -> Self {
        self.unchecked_ref::<Array>().get(index)
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

/// The conversation a message carries in field `key`: a safe integer costs one call; text
/// (and other numbers) a second one that reads it.
pub fn conversation_of(message: &JsValue, key: &JsValue) -> Option<Key> {
    let code = conversation_code(message, key);
    if code.is_finite() {
        return Some(Key::Int(code as i64));
    }
    match code.is_nan() {
        true => Reflect::get(message, key).ok().and_then(|id| id_key(&id)),
        false => None,
    }
}
