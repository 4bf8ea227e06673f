//! Converts the JS options object into the core's [`Value`] once, at construction.

use js_sys::{Array, Function, Object};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;

use crate::core::options::Value;

/// How deep nested options go (`heartbeat.ping.x`); deeper values are cut to `Other`.
const MAX_DEPTH: u32 = 4;

/// The core's view of a JS value.
pub(crate) fn to_value(v: &JsValue) -> Value {
    convert(v, 0)
}

fn convert(v: &JsValue, depth: u32) -> Value {
    if v.is_undefined() {
        Value::Undefined
    } else if v.is_null() {
        Value::Null
    } else if let Some(b) = v.as_bool() {
        Value::Bool(b)
    } else if let Some(n) = v.as_f64() {
        Value::Number(n)
    } else if let Some(s) = v.as_string() {
        Value::Text(s)
    } else if v.is_instance_of::<Function>() {
        Value::Function
    } else if depth >= MAX_DEPTH {
        Value::Other
    } else if Array::is_array(v) {
        Value::Array(Array::from(v).iter().map(|item| convert(&item, depth + 1)).collect())
    } else if v.is_object() {
        let entries = Object::entries(v.unchecked_ref());
        Value::Object(
            entries
                .iter()
                .map(|pair| {
                    let pair = Array::from(&pair);
                    (pair.get(0).as_string().unwrap_or_default(), convert(&pair.get(1), depth + 1))
                })
                .collect(),
        )
    } else {
        Value::Other
    }
}
