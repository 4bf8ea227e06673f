//! The few JS functions web-sys and js-sys do not bind the way the per-message path needs,
//! the property names the shell builds objects with, and small helpers.

use crate::prelude::*;

use js_sys::{JsString, Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a JS string the browser already holds: the text is never copied into
    /// wasm memory. `Err` for invalid JSON.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub(crate) fn parse_json(text: &JsValue) -> Result<JsValue, JsValue>;

    /// `JSON.stringify`; `Err` for a cycle, a BigInt or a `toJSON` that throws, and
    /// `undefined` when there is nothing to write.
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    pub(crate) fn stringify(value: &JsValue) -> Result<JsValue, JsValue>;

    /// `performance.now()`: the monotonic clock the core runs on.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub(crate) fn performance_now() -> f64;

    /// JS `String(value)`; `Err` where converting throws (an object whose `toString` throws).
    #[wasm_bindgen(js_name = String, catch)]
    pub(crate) fn to_js_string(value: &JsValue) -> Result<JsString, JsValue>;

    /// Any value seen as an object whose fields are read by key.
    pub(crate) type Fields;
    /// `value[key]`, one crossing, for a value that is neither `null` nor `undefined`.
    #[wasm_bindgen(method, structural, indexing_getter)]
    pub(crate) fn field(this: &Fields, key: &JsValue) -> JsValue;

    /// `value.length`: a string's length in UTF-16 units; NaN for a value without a
    /// `length` (a binary frame's `ArrayBuffer`).
    #[wasm_bindgen(method, structural, getter)]
    pub(crate) fn length(this: &Fields) -> f64;

    /// A function seen through a `call` that leaves its answer in JS.
    pub(crate) type Callable;
    /// `f.call(this_arg, arg)`, no handle made for the answer; `Err` is what `f` threw.
    #[wasm_bindgen(method, catch, js_name = call)]
    pub(crate) fn call_with(this: &Callable, this_arg: &JsValue, arg: &JsValue) -> Result<(), JsValue>;

    /// A `Map` from route value to type id, read without a `JsValue` handle for the answer.
    pub(crate) type TypeIds;
    /// The type id of a route value, if it was registered.
    #[wasm_bindgen(method, js_name = get)]
    pub(crate) fn type_id(this: &TypeIds, route: &JsValue) -> Option<u32>;
}

/// `value[key]` of a value that is neither `null` nor `undefined`.
pub fn field(value: &JsValue, key: &JsValue) -> JsValue {
    value.unchecked_ref::<Fields>().field(key)
}

/// `value`, unless it is `null` or `undefined` (an optional argument left out).
pub(crate) fn given(value: JsValue) -> Option<JsValue> {
    (!value.is_null() && !value.is_undefined()).then_some(value)
}

/// The integer of a value that is a safe integer JS number (no other value is converted).
pub(crate) fn as_safe_integer(value: &JsValue) -> Option<i64> {
    js_sys::Number::is_safe_integer(value).then(|| value.unchecked_ref::<js_sys::Number>().value_of() as i64)
}

/// A string field of an object, if it is one.
pub fn text_field(value: &JsValue, key: &JsValue) -> Option<String> {
    Reflect::get(value, key).ok().and_then(|v| v.as_string())
}

/// The keys of a dotted path (`notification.title`), one per level.
pub(crate) fn path(dotted: &str) -> Vec<JsValue> {
    dotted.split('.').map(JsValue::from_str).collect()
}

/// The value at `path` in the object `value` (every level above the last an object), if any.
pub(crate) fn value_at(value: &JsValue, path: &[JsValue]) -> Option<JsValue> {
    let (last, parents) = path.split_last()?;
    let mut value = value.clone();
    for key in parents {
        value = Reflect::get(&value, key).ok().filter(JsValue::is_object)?;
    }
    Reflect::get(&value, last).ok()
}

/// A plain object with these fields.
pub fn object(fields: &[(&JsValue, JsValue)]) -> JsValue {
    let obj = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&obj, key, value);
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
    match to_js_string(thrown) {
        Ok(text) => String::from(text),
        Err(_) => String::from("a value that cannot be shown"),
    }
}

/// Property names the shell builds objects with: made once per thread, not per object.
pub(crate) struct Names {
    /// `status`, `attempt`, `nextRetryInMs`, `error`, `since`: the `state` object.
    pub(crate) status: JsValue,
    pub(crate) attempt: JsValue,
    pub(crate) next_retry_in_ms: JsValue,
    pub(crate) error: JsValue,
    pub(crate) since: JsValue,
    /// `kind`, `message`: an `onError` report.
    pub(crate) kind: JsValue,
    pub(crate) message: JsValue,
    /// `conversationId`, `count`, `total`: an unread change.
    pub(crate) conversation_id: JsValue,
    pub(crate) count: JsValue,
    pub(crate) total: JsValue,
    /// `users`: a typing change.
    pub(crate) users: JsValue,
    /// `id`, `read`, `is_read`: notification objects.
    pub(crate) id: JsValue,
    pub(crate) read: JsValue,
    pub(crate) is_read: JsValue,
    /// `title`, `body`, `icon`, `tag`: what a formatter returns.
    pub(crate) title: JsValue,
    pub(crate) body: JsValue,
    pub(crate) icon: JsValue,
    pub(crate) tag: JsValue,
}

std::thread_local! {
    static NAMES: Names = Names {
        status: "status".into(),
        attempt: "attempt".into(),
        next_retry_in_ms: "nextRetryInMs".into(),
        error: "error".into(),
        since: "since".into(),
        kind: "kind".into(),
        message: "message".into(),
        conversation_id: "conversationId".into(),
        count: "count".into(),
        total: "total".into(),
        users: "users".into(),
        id: "id".into(),
        read: "read".into(),
        is_read: "is_read".into(),
        title: "title".into(),
        body: "body".into(),
        icon: "icon".into(),
        tag: "tag".into(),
    };
}

/// Runs `f` with the property names.
pub fn with_names<R>(f: impl FnOnce(&Names) -> R) -> R {
    NAMES.with(f)
}
