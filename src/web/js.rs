//! JS functions the shell imports, and small helpers to build plain JS objects.

use crate::prelude::*;

use js_sys::{Function, JsString, Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
const INVALID = {};
export function unsubscriber(off, slot, seq) { let on = true; return () => { if (on) { on = false; off(slot, seq); } }; }
export function parseFrame(data) {
  if (typeof data !== "string") return data;
  try { return JSON.parse(data); } catch { return INVALID; }
}
export function shapeOf(msg, key, types) {
  if (typeof msg !== "object" || msg === null) return -1;
  if (Array.isArray(msg)) return -10 - msg.length;
  if (msg === INVALID) return -4;
  const route = msg[key];
  if (typeof route !== "string") return -2;
  const id = types.get(route);
  return id === undefined ? -3 : id;
}
export function conversationCode(msg, key) {
  const id = msg[key];
  if (typeof id === "number") return Number.isSafeInteger(id) ? id : NaN;
  return typeof id === "string" ? NaN : Infinity;
}
export function frameSize(data) { return typeof data === "string" ? data.length : -1 - (data.byteLength || 0); }
const thrown = [];
export function invoke(f, arg) { try { f(arg); return 0; } catch (e) { thrown.push(e); return 1; } }
export function invokeSlots(fns, arg, a, b) {
  const second = b >= 0 ? fns[b] : undefined;
  let failures = invoke(fns[a], arg);
  if (second !== undefined && fns[b] === second) failures += invoke(second, arg);
  return failures;
}
export function takeThrown() { return thrown.shift(); }
"#)]
extern "C" {
    /// A JS function that calls `off(slot, seq)` the first time it is called, then nothing.
    pub fn unsubscriber(off: &JsValue, slot: u32, seq: u32) -> Function;
    /// `JSON.parse` of a string (anything else comes back as it is), or a marker that
    /// [`shape_of`] reports as invalid JSON: no exception crosses the boundary per message.
    #[wasm_bindgen(js_name = parseFrame)]
    pub fn parse_frame(text: &JsValue) -> JsValue;
    /// What a parsed value is, in one call: a type id (≥ 0), -1 not an object, -2 no string
    /// route, -3 a route nobody registered, -4 invalid JSON, -10 - n an array of n elements.
    #[wasm_bindgen(js_name = shapeOf)]
    pub fn shape_of(message: &JsValue, key: &JsValue, types: &js_sys::Map) -> f64;
    /// A message's conversation in one call: the id if it is a safe integer, NaN when it must
    /// be read as text (a string or another number), Infinity when there is none.
    #[wasm_bindgen(js_name = conversationCode)]
    pub fn conversation_code(message: &JsValue, key: &JsValue) -> f64;
    /// A frame's size: UTF-16 units of a text frame, or `-1 - bytes` of a binary one.
    #[wasm_bindgen(js_name = frameSize)]
    pub fn frame_size(data: &JsValue) -> f64;
    /// Calls `f(arg)`; returns 1 if it threw (then [`take_thrown`] has what), else 0.
    pub fn invoke(f: &Function, arg: &JsValue) -> u32;
    /// Calls `fns[a](arg)`, then `fns[b](arg)` unless `b` is -1 or its slot changed meanwhile
    /// (unsubscribed, or freed, by the first): up to two listeners in one crossing. Returns
    /// how many threw.
    #[wasm_bindgen(js_name = invokeSlots)]
    pub fn invoke_slots(fns: &js_sys::Array, arg: &JsValue, a: u32, b: i32) -> u32;
    /// What the oldest unreported failed call threw.
    #[wasm_bindgen(js_name = takeThrown)]
    pub fn take_thrown() -> JsValue;
}

#[wasm_bindgen]
extern "C" {
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
