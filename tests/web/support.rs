//! Helpers shared by the browser tests: the test server's address, contexts freed after each
//! test, listeners that record their calls, waits, and the page-side helpers (real
//! `Notification`s, the JS class's prototype) that only JavaScript can reach.

use std::cell::{Cell, RefCell};
use std::ops::Deref;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect, JSON};
use realtime_context::RealtimeContext;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The test server (tests/support/server.mjs); tests/web.test.mjs sets it at compile time.
pub const SERVER: &str = match option_env!("REALTIME_TEST_WS") {
    Some(url) => url,
    None => "ws://127.0.0.1:9",
};

/// What the context's methods throw once it is freed.
pub const USED_AFTER_FREE: &str = "RealtimeContext: used after free()";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
}

// ---- results and errors ----

/// The message of a thrown value: an `Error`'s `.message`, or the value shown.
pub fn message(thrown: &JsValue) -> String {
    match Reflect::get(thrown, &"message".into()).ok().and_then(|m| m.as_string()) {
        Some(text) => text,
        None => format!("{thrown:?}"),
    }
}

/// Unwrapping a facade call with the JS error's message when it failed.
pub trait Js<T> {
    /// The value, or a panic naming the error's message.
    fn js(self) -> T;
}

impl<T> Js<T> for Result<T, JsError> {
    #[track_caller]
    fn js(self) -> T {
        match self {
            Ok(value) => value,
            Err(error) => panic!("unexpected error: {}", message(&error.into())),
        }
    }
}

/// The message of the `Error` that `result` must hold; `what` names the call in the panic.
#[track_caller]
pub fn error_of<T>(what: &str, result: Result<T, JsError>) -> String {
    match result {
        Ok(_) => panic!("expected {what} to throw"),
        Err(error) => {
            let error = JsValue::from(error);
            assert!(error.is_instance_of::<js_sys::Error>(), "{what} threw a non-Error: {error:?}");
            message(&error)
        }
    }
}

// ---- values ----

/// A process-wide suffix that makes the server's rooms this page's own, so that socket counts
/// start at zero whichever engine ran against the same server before.
pub fn run_id() -> String {
    thread_local!(static RUN: String = format!("{:x}", (js_sys::Math::random() * 1e12) as u64));
    RUN.with(|r| r.clone())
}

/// JSON text with `{url}` replaced by the server address and `{run}` by [`run_id`].
pub fn json(text: &str) -> JsValue {
    let text = text.replace("{url}", SERVER).replace("{run}", &run_id());
    JSON::parse(&text).unwrap_or_else(|e| panic!("test JSON {text}: {e:?}"))
}

/// A JavaScript expression's value, for what JSON cannot write (`NaN`, `Infinity`, functions,
/// holes, BigInts, cycles). `withUrl(extra)` is `{url: "/ws/realtime/", ...extra}` as in
/// tests/options.test.mjs, `cycle` an object that contains itself and `token` [`SECRET`].
pub fn js(expression: &str) -> JsValue {
    let source = format!(
        "(() => {{ const withUrl = (extra = {{}}) => ({{ url: '/ws/realtime/', ...extra }}); \
         const cycle = {{ type: 'ping' }}; cycle.self = cycle; const token = '{SECRET}'; \
         return ({expression}); }})()"
    );
    js_sys::eval(&source).unwrap_or_else(|e| panic!("test expression {expression}: {e:?}"))
}

/// A token that must never appear in an error.
pub const SECRET: &str = "tok-3f9a7c-SECRET";

pub fn field(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// The string field `key` of `obj` ("" where it is missing).
pub fn text(obj: &JsValue, key: &str) -> String {
    field(obj, key).as_string().unwrap_or_default()
}

pub fn stringify(value: &JsValue) -> String {
    JSON::stringify(value).map(String::from).unwrap_or_else(|_| format!("{value:?}"))
}

// ---- contexts ----

/// A context that is freed when the test drops it (as the in-page suite freed each after its
/// test). Listeners that call back into it hold [`Ctx::rc`]; `free()` drops them.
pub struct Ctx(Rc<RealtimeContext>);

impl Ctx {
    pub fn new(options: JsValue) -> Ctx {
        Ctx(Rc::new(RealtimeContext::new(options).js()))
    }

    /// The context, shared with a listener.
    pub fn rc(&self) -> Rc<RealtimeContext> {
        self.0.clone()
    }
}

impl Deref for Ctx {
    type Target = RealtimeContext;
    fn deref(&self) -> &RealtimeContext {
        &self.0
    }
}

impl Drop for Ctx {
    fn drop(&mut self) {
        self.0.free();
    }
}

/// A context made from JSON options (see [`json`]), freed after the test.
pub fn context(options: &str) -> Ctx {
    Ctx::new(json(options))
}

pub fn status(ctx: &RealtimeContext) -> String {
    text(&ctx.state().js(), "status")
}

pub fn stat(ctx: &RealtimeContext, key: &str) -> f64 {
    let value = field(&ctx.stats().js(), key);
    value.as_f64().unwrap_or_else(|| panic!("stats().{key} is a number, got {value:?}"))
}

pub fn state_error(ctx: &RealtimeContext) -> JsValue {
    field(&ctx.state().js(), "error")
}

/// Calls an unsubscribe function.
pub fn off(unsubscribe: &Function) {
    unsubscribe.call0(&JsValue::NULL).expect("an unsubscribe function does not throw");
}

// ---- listeners ----

/// Everything a listener was called with.
#[derive(Clone, Default)]
pub struct Calls(pub Rc<RefCell<Vec<JsValue>>>);

impl Calls {
    pub fn listener(&self) -> JsValue {
        let calls = self.0.clone();
        listener(move |v| calls.borrow_mut().push(v))
    }
    pub fn len(&self) -> usize {
        self.0.borrow().len()
    }
    pub fn get(&self, i: usize) -> JsValue {
        self.0.borrow()[i].clone()
    }
    pub fn last(&self) -> JsValue {
        self.0.borrow().last().cloned().expect("at least one call")
    }
    /// The string field `key` of every call ("" where it is missing).
    pub fn field(&self, key: &str) -> Vec<String> {
        self.0.borrow().iter().map(|v| text(v, key)).collect()
    }
    /// The numeric field `key` of every call (NaN where it is missing).
    pub fn numbers(&self, key: &str) -> Vec<f64> {
        self.0.borrow().iter().map(|v| field(v, key).as_f64().unwrap_or(f64::NAN)).collect()
    }
}

/// A log of labels, pushed by several listeners, to check their order.
#[derive(Clone, Default)]
pub struct Log(pub Rc<RefCell<Vec<String>>>);

impl Log {
    /// A listener that logs `label`, then the message's numeric field `n` when it has one.
    pub fn listener(&self, label: &'static str) -> JsValue {
        let log = self.0.clone();
        listener(move |m| {
            let entry = match field(&m, "n").as_f64() {
                Some(n) => format!("{label}:{n}"),
                None => label.to_string(),
            };
            log.borrow_mut().push(entry);
        })
    }
    pub fn entries(&self) -> Vec<String> {
        self.0.borrow().clone()
    }
}

/// A counter shared with listeners.
#[derive(Clone, Default)]
pub struct Count(pub Rc<Cell<u32>>);

impl Count {
    pub fn listener(&self) -> JsValue {
        let n = self.0.clone();
        listener(move |_| n.set(n.get() + 1))
    }
    pub fn get(&self) -> u32 {
        self.0.get()
    }
}

pub fn listener(f: impl FnMut(JsValue) + 'static) -> JsValue {
    Closure::<dyn FnMut(JsValue)>::new(f).into_js_value()
}

/// A JS function that throws `new Error(message)` (`message` holds no quote).
pub fn throwing(message: &str) -> JsValue {
    Function::new_with_args("message", &format!("throw new Error('{message}')")).into()
}

// ---- waits ----

pub async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms);
    });
    JsFuture::from(promise).await.expect("a timer resolves");
}

/// Waits until `cond` holds, polling every 10 ms; fails the test after `ms`. The limits are
/// generous: a passing wait returns as soon as the condition holds.
pub async fn until(what: &str, ms: u32, mut cond: impl FnMut() -> bool) {
    let started = js_sys::Date::now();
    while !cond() {
        if js_sys::Date::now() - started > f64::from(ms) {
            panic!("timed out after {ms} ms waiting for: {what}");
        }
        sleep(10).await;
    }
}

/// The usual limit of a wait for the local server (a passing wait takes milliseconds).
pub const WAIT: u32 = 10_000;

/// Connects and waits until the socket is open.
pub async fn open(ctx: &RealtimeContext) {
    ctx.connect().js();
    let before = stringify(&ctx.state().js());
    until(&format!("open (state was {before})"), WAIT, || status(ctx) == "open").await;
}

/// Makes the server send each element of the JSON array `frames` as its own frame.
pub fn emit(ctx: &RealtimeContext, frames: &str) {
    let cmd = js_sys::Object::new();
    Reflect::set(&cmd, &"cmd".into(), &"emit".into()).unwrap();
    Reflect::set(&cmd, &"frames".into(), &json(frames)).unwrap();
    assert!(ctx.send(cmd.into()).js(), "emit is sent on an open socket");
}

/// Sends a JSON command to the server.
pub fn command(ctx: &RealtimeContext, cmd: &str) {
    ctx.send(json(cmd)).js();
}

/// Asks the server how many sockets of the context's room are open and were accepted in total.
pub async fn count(ctx: &RealtimeContext) -> (f64, f64) {
    let calls = Calls::default();
    let unsubscribe = ctx.on("count".into(), calls.listener()).js();
    command(ctx, r#"{"cmd":"count"}"#);
    until("count reply", WAIT, || calls.len() == 1).await;
    off(&unsubscribe);
    let reply = calls.get(0);
    (field(&reply, "open").as_f64().unwrap(), field(&reply, "total").as_f64().unwrap())
}

/// Waits until the server counts `expected` open sockets in the room `observer` is in.
pub async fn until_open_sockets(observer: &RealtimeContext, expected: f64, what: &str) {
    let started = js_sys::Date::now();
    loop {
        let (open, _) = count(observer).await;
        if open == expected {
            return;
        }
        if js_sys::Date::now() - started > f64::from(WAIT) {
            panic!("{what}: the server still counts {open} open sockets, expected {expected}");
        }
        sleep(20).await;
    }
}

/// Connects and makes the server send `frames`; waits until `expect` messages were routed.
pub async fn deliver(ctx: &RealtimeContext, frames: &str, expect: u32) {
    let seen = Count::default();
    let unsubscribe = ctx.on("*".into(), seen.listener()).js();
    if status(ctx) != "open" {
        open(ctx).await;
    }
    emit(ctx, frames);
    until("messages routed", WAIT, || seen.get() >= expect).await;
    off(&unsubscribe);
}

// ---- after free() ----

/// Every method and getter of a freed context fails with [`USED_AFTER_FREE`] (valid arguments
/// each); `free()` itself may be called again. Returns the calls that did not.
pub fn uses_after_free(ctx: &RealtimeContext) -> Vec<String> {
    let f = || listener(|_| {});
    let mut bad = Vec::new();
    macro_rules! check {
        ($($name:literal => $call:expr,)*) => {$(
            match $call {
                Ok(_) => bad.push(format!("{}: no error", $name)),
                Err(e) => {
                    let text = message(&e.into());
                    if text != USED_AFTER_FREE {
                        bad.push(format!("{}: {text:?}", $name));
                    }
                }
            }
        )*};
    }
    check! {
        "connect" => ctx.connect(),
        "disconnect" => ctx.disconnect(),
        "retry" => ctx.retry(),
        "setToken" => ctx.set_token("t".into()),
        "state" => ctx.state(),
        "onState" => ctx.on_state(f()),
        "send" => ctx.send("x".into()),
        "sendAcked" => ctx.send_acked(js_sys::Object::new().into()),
        "setTokenProvider" => ctx.set_token_provider(JsValue::NULL),
        "sendMessage" => ctx.send_message(1.into(), "x".into(), JsValue::UNDEFINED),
        "stats" => ctx.stats(),
        "on" => ctx.on("m".into(), f()),
        "onConversation" => ctx.on_conversation(1.into(), f()),
        "onError" => ctx.on_error(f()),
        "receive" => ctx.receive(r#"[{"type":"m"}]"#.into()),
        "setActiveConversation" => ctx.set_active_conversation(1.into()),
        "activeConversation" => ctx.active_conversation(),
        "unreadCount" => ctx.unread_count(1.into()),
        "totalUnread" => ctx.total_unread(),
        "markRead" => ctx.mark_read(1.into()),
        "onUnread" => ctx.on_unread(f()),
        "requestNotificationPermission" => ctx.request_notification_permission(),
        "setNotificationFormatter" => ctx.set_notification_formatter(JsValue::NULL),
        "onNotificationClick" => ctx.on_notification_click(f()),
        "notifications" => ctx.notifications(),
        "unreadNotifications" => ctx.unread_notifications(),
        "setNotifications" => ctx.set_notifications(Array::new().into()),
        "markNotificationRead" => ctx.mark_notification_read(1.into()),
        "markAllNotificationsRead" => ctx.mark_all_notifications_read(),
        "removeNotification" => ctx.remove_notification(1.into()),
        "onNotifications" => ctx.on_notifications(f()),
    }
    ctx.free(); // again: harmless
    bad
}

#[track_caller]
pub fn assert_every_use_throws(ctx: &RealtimeContext) {
    let bad = uses_after_free(ctx);
    assert!(bad.is_empty(), "after free(), these did not throw {USED_AFTER_FREE:?}: {bad:?}");
}

// ---- page-side helpers ----

#[wasm_bindgen(inline_js = r#"
const real = globalThis.Notification;
export function permission() { return real ? real.permission : 'missing'; }
// Replaces `Notification` with a subclass of the real one that records every notification
// shown (title, body, tag, whether it was closed, the object); returns the record.
export function recordNotifications() {
  const shown = [];
  if (!real) return shown;
  globalThis.Notification = class extends real {
    constructor(title, options) {
      super(title, options);
      const entry = { title, body: this.body, tag: this.tag, closed: false, notification: this };
      this.addEventListener('close', () => { entry.closed = true; });
      const close = this.close.bind(this);
      this.close = () => { entry.closed = true; close(); };
      shown.push(entry);
    }
  };
  Object.defineProperty(globalThis.Notification, 'permission', { get: () => real.permission });
  return shown;
}
export function removeNotificationApi() { delete globalThis.Notification; }
export function restoreNotificationApi() { globalThis.Notification = real; }
// What a user's click does to a notification: a `click` event, whoever listens to it.
export function click(entry) { entry.notification.dispatchEvent(new Event('click')); }

// The generated JS class against the README's API table: the members it lacks (getters must
// be accessors, methods functions).
const METHODS = ['connect', 'disconnect', 'retry', 'setToken', 'setTokenProvider', 'sendAcked', 'on', 'onConversation', 'onState', 'onError',
  'send', 'sendMessage', 'receive', 'stats', 'setActiveConversation', 'unreadCount', 'markRead', 'onUnread',
  'requestNotificationPermission', 'setNotificationFormatter', 'onNotificationClick', 'notifications',
  'setNotifications', 'markNotificationRead', 'markAllNotificationsRead', 'removeNotification',
  'onNotifications', 'free'];
const GETTERS = ['state', 'activeConversation', 'totalUnread', 'unreadNotifications'];
export function missingMembers(ctx) {
  const missing = [];
  for (const name of METHODS) if (typeof ctx[name] !== 'function') missing.push(name + '()');
  for (const name of GETTERS) {
    let proto = Object.getPrototypeOf(ctx), d;
    while (proto && !(d = Object.getOwnPropertyDescriptor(proto, name))) proto = Object.getPrototypeOf(proto);
    if (!d || typeof d.get !== 'function') missing.push(name + ' (getter)');
  }
  return missing;
}
// Frees `ctx` through the JS class, then uses every method and getter of its prototype (as the
// in-page suite did); returns those that did not throw `expected`.
export function jsUsesAfterFree(ctx, expected) {
  const f = () => {};
  const args = {
    setToken: ['t'], send: ['x'], sendMessage: [1, 'x'], on: ['m', f], onConversation: [1, f], onError: [f], onState: [f],
    onUnread: [f], onNotificationClick: [f], onNotifications: [f], receive: ['[{"type":"m"}]'], setActiveConversation: [1],
    unreadCount: [1], markRead: [1], setNotificationFormatter: [null], setNotifications: [[]], markNotificationRead: [1],
    removeNotification: [1],
  };
  ctx.free();
  const bad = [];
  const proto = Object.getPrototypeOf(ctx);
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === 'constructor' || name === 'free' || name.startsWith('__')) continue;
    const { get, value } = Object.getOwnPropertyDescriptor(proto, name);
    if (!get && typeof value !== 'function') continue;
    try {
      get ? get.call(ctx) : value.apply(ctx, args[name] ?? []);
      bad.push(name + ': no error');
    } catch (e) {
      if (!(e instanceof Error) || e.message !== expected) bad.push(name + ': ' + String(e));
    }
  }
  try { ctx.free(); } catch (e) { bad.push('free() again: ' + String(e)); }
  return bad;
}
"#)]
extern "C" {
    /// `Notification.permission` of the real API, or "missing".
    pub fn permission() -> String;
    #[wasm_bindgen(js_name = recordNotifications)]
    pub fn record_notifications() -> Array;
    #[wasm_bindgen(js_name = removeNotificationApi)]
    pub fn remove_notification_api();
    #[wasm_bindgen(js_name = restoreNotificationApi)]
    pub fn restore_notification_api();
    /// Dispatches a `click` event on a recorded notification.
    pub fn click(entry: &JsValue);
    #[wasm_bindgen(js_name = missingMembers)]
    fn missing_members_js(ctx: &JsValue) -> Array;
    #[wasm_bindgen(js_name = jsUsesAfterFree)]
    fn js_uses_after_free_js(ctx: &JsValue, expected: &str) -> Array;
}

fn strings(list: Array) -> Vec<String> {
    list.iter().map(|v| v.as_string().unwrap_or_default()).collect()
}

/// The members of the README's API table that the JS object `ctx` lacks.
pub fn missing_members(ctx: &JsValue) -> Vec<String> {
    strings(missing_members_js(ctx))
}

/// Frees `ctx` through JS, then returns the prototype's members that did not throw `expected`.
pub fn js_uses_after_free(ctx: &JsValue, expected: &str) -> Vec<String> {
    strings(js_uses_after_free_js(ctx, expected))
}

/// The recorded notifications as a list.
pub fn shown(record: &Array) -> Vec<JsValue> {
    record.iter().collect()
}
