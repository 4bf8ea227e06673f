//! JS functions the shell imports, and small helpers to build plain JS objects.

use js_sys::{Function, JsString, Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function unsubscriber(off, slot, seq) { let on = true; return () => { if (on) { on = false; off(slot, seq); } }; }
export function routeOf(msg, key, types) {
  if (typeof msg !== "object" || msg === null || Array.isArray(msg)) return -1;
  const route = msg[key];
  if (typeof route !== "string") return -2;
  const id = types.get(route);
  return id === undefined ? -3 : id;
}
export function frameSize(data) { return typeof data === "string" ? data.length : -1 - (data.byteLength || 0); }
"#)]
extern "C" {
    /// A JS function that calls `off(slot, seq)` the first time it is called, then nothing.
    pub fn unsubscriber(off: &JsValue, slot: u32, seq: u32) -> Function;
    /// A message's type id in one crossing: -1 not an object, -2 no string route, -3 unknown.
    #[wasm_bindgen(js_name = routeOf)]
    pub fn route_of(message: &JsValue, key: &JsValue, types: &js_sys::Map) -> i32;
    /// A frame's size: UTF-16 units of a text frame, or `-1 - bytes` of a binary one.
    #[wasm_bindgen(js_name = frameSize)]
    pub fn frame_size(data: &JsValue) -> f64;
}

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` on a JS string, without copying it into wasm.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;

    /// `performance.now()`: the monotonic clock the core runs on.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub fn performance_now() -> f64;

    /// JS `String(value)`.
    #[wasm_bindgen(js_name = String)]
    pub fn to_js_string(value: &JsValue) -> JsString;
}

/// A plain object with these fields.
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let obj = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&obj, &JsValue::from_str(key), value);
    }
    obj.into()
}

/// `n` as a JS number, or `null`.
pub fn number_or_null(n: Option<u64>) -> JsValue {
    n.map_or(JsValue::NULL, |n| JsValue::from_f64(n as f64))
}

/// The message of a thrown value: `error.message` for an `Error`, else its text form.
pub fn describe(thrown: &JsValue) -> String {
    if let Some(error) = thrown.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    String::from(to_js_string(thrown))
}
