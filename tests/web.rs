//! The real browser shell against the real local test server (tests/support/server.mjs),
//! whose address `tests/run-browser.mjs` passes in `REALTIME_TEST_WS` at compile time.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use js_sys::{Function, Reflect, JSON};
use realtime_context::RealtimeContext;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SERVER: &str = match option_env!("REALTIME_TEST_WS") {
    Some(url) => url,
    None => "ws://127.0.0.1:9",
};

// ---- helpers ----

/// Options as JSON text; `{url}` is replaced by the server address.
fn options(json: &str) -> JsValue {
    JSON::parse(&json.replace("{url}", SERVER)).expect("test options are valid JSON")
}

fn context(json: &str) -> RealtimeContext {
    RealtimeContext::new(options(json)).expect("valid options")
}

fn field(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap()
}

fn status(ctx: &RealtimeContext) -> String {
    field(&ctx.state(), "status").as_string().unwrap()
}

fn stat(ctx: &RealtimeContext, key: &str) -> f64 {
    field(&ctx.stats(), key).as_f64().unwrap()
}

fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

/// Everything a listener was called with.
#[derive(Clone, Default)]
struct Calls(Rc<RefCell<Vec<JsValue>>>);

impl Calls {
    fn listener(&self) -> JsValue {
        let calls = self.0.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |v| calls.borrow_mut().push(v)).into_js_value()
    }
    fn len(&self) -> usize {
        self.0.borrow().len()
    }
    fn field(&self, key: &str) -> Vec<String> {
        self.0.borrow().iter().map(|v| field(v, key).as_string().unwrap_or_default()).collect()
    }
    fn get(&self, i: usize) -> JsValue {
        self.0.borrow()[i].clone()
    }
}

fn listener(f: impl FnMut(JsValue) + 'static) -> JsValue {
    Closure::<dyn FnMut(JsValue)>::new(f).into_js_value()
}

/// Waits until `cond` holds, polling every 10 ms; fails the test after `ms`.
async fn until(what: &str, ms: u32, mut cond: impl FnMut() -> bool) {
    let mut waited = 0;
    while !cond() {
        assert!(waited < ms, "timed out after {ms} ms waiting for: {what}");
        TimeoutFuture::new(10).await;
        waited += 10;
    }
}

async fn open(ctx: &RealtimeContext) {
    ctx.connect();
    let state = ctx.state();
    until(&String::from(JSON::stringify(&state).unwrap()), 3000, || status(ctx) == "open").await;
}

fn emit(ctx: &RealtimeContext, frames: &str) {
    let mut cmd = String::from(r#"{"cmd":"emit","frames":"#);
    cmd.push_str(frames);
    cmd.push('}');
    ctx.send(json(&cmd)).unwrap();
}

/// Asks the server how many sockets of `room` are open and were accepted in total.
async fn count(ctx: &RealtimeContext) -> (f64, f64) {
    let calls = Calls::default();
    let off: Function = ctx.on("count".into(), calls.listener()).unwrap();
    ctx.send(json(r#"{"cmd":"count"}"#)).unwrap();
    until("count reply", 2000, || calls.len() == 1).await;
    off.call0(&JsValue::NULL).unwrap();
    let reply = calls.get(0);
    (field(&reply, "open").as_f64().unwrap(), field(&reply, "total").as_f64().unwrap())
}

// ---- connect and routing ----

#[wasm_bindgen_test]
async fn connects_and_routes_by_type_to_every_listener_in_order() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false}"#);
    assert_eq!(status(&ctx), "idle");
    let (a, b, any) = (Calls::default(), Calls::default(), Calls::default());
    let order = Calls::default();
    let o1 = order.clone();
    ctx.on("notification".into(), listener(move |_| o1.0.borrow_mut().push("first".into()))).unwrap();
    ctx.on("notification".into(), a.listener()).unwrap();
    ctx.on("friend_request_update".into(), b.listener()).unwrap();
    ctx.on("*".into(), any.listener()).unwrap();
    let o2 = order.clone();
    ctx.on("notification".into(), listener(move |_| o2.0.borrow_mut().push("last".into()))).unwrap();
    open(&ctx).await;
    emit(&ctx, r#"[{"type":"notification","notification":{"id":1}},{"type":"friend_request_update","action":"accepted"},{"type":"other"}]"#);
    until("three messages", 2000, || any.len() == 3).await;
    assert_eq!(a.len(), 1);
    assert_eq!(field(&field(&a.get(0), "notification"), "id").as_f64(), Some(1.0));
    assert_eq!(b.field("action"), ["accepted"]);
    assert_eq!(any.field("type"), ["notification", "friend_request_update", "other"]);
    assert_eq!(order.0.borrow().iter().map(|v| v.as_string().unwrap()).collect::<Vec<_>>(), ["first", "last"]);
    assert_eq!(stat(&ctx, "messagesIn"), 3.0);
}

#[wasm_bindgen_test]
async fn batches_route_element_by_element_and_conversations_match_numbers_and_strings() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"routeKey":"event_type"}"#);
    let (by_number, by_text, typed) = (Calls::default(), Calls::default(), Calls::default());
    ctx.on_conversation(JsValue::from(123), by_number.listener()).unwrap();
    ctx.on_conversation("conv_9".into(), by_text.listener()).unwrap();
    ctx.on("new_message".into(), typed.listener()).unwrap();
    open(&ctx).await;
    emit(
        &ctx,
        r#"[[{"event_type":"new_message","conversation_id":"123","n":1},{"event_type":"typing","conversation_id":123,"n":2},{"event_type":"new_message","conversation_id":"conv_9","n":3},{"event_type":"new_message","conversation_id":124,"n":4}]]"#,
    );
    until("batch routed", 2000, || typed.len() == 3).await;
    assert_eq!(by_number.0.borrow().iter().map(|m| field(m, "n").as_f64().unwrap()).collect::<Vec<_>>(), [1.0, 2.0]);
    assert_eq!(by_text.len(), 1);
}

#[wasm_bindgen_test]
async fn every_bad_input_is_counted_and_reported_and_the_socket_stays_open() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false}"#);
    let (errors, any) = (Calls::default(), Calls::default());
    ctx.on_error(errors.listener()).unwrap();
    ctx.on("*".into(), any.listener()).unwrap();
    open(&ctx).await;
    emit(&ctx, r#"["not json","{\"type\":","42","null","\"text\"","{}","{\"type\":7}","[1,{\"kind\":\"x\"},{\"type\":\"ok\"}]"]"#);
    ctx.send(json(r#"{"cmd":"binary"}"#)).unwrap();
    emit(&ctx, r#"[{"type":"after"}]"#);
    until("the message after the garbage", 2000, || any.field("type").contains(&"after".to_string())).await;
    assert_eq!(
        errors.field("kind"),
        [
            "invalid_json", "invalid_json", "not_an_object", "not_an_object", "not_an_object",
            "missing_route_key", "missing_route_key", "not_an_object", "missing_route_key", "binary_frame"
        ]
    );
    assert_eq!(any.field("type"), ["ok", "after"]);
    assert_eq!(stat(&ctx, "malformedDropped"), 10.0);
    assert_eq!(status(&ctx), "open");
}

// ---- re-entrancy ----

#[wasm_bindgen_test]
async fn listeners_may_unsubscribe_subscribe_send_and_throw_during_a_dispatch() {
    let ctx = Rc::new(context(r#"{"url":"{url}/ws","heartbeat":false}"#));
    let (late, second, third, errors, echoes) = (Calls::default(), Calls::default(), Calls::default(), Calls::default(), Calls::default());
    let offs: Rc<RefCell<Vec<Function>>> = Rc::default();
    // 1st: unsubscribes itself and the 3rd, adds a new listener, sends, then throws.
    let (c, o, l) = (ctx.clone(), offs.clone(), late.clone());
    let first = listener(move |_| {
        for off in o.borrow().iter() {
            off.call0(&JsValue::NULL).unwrap();
            off.call0(&JsValue::NULL).unwrap(); // idempotent
        }
        c.on("m".into(), l.listener()).unwrap();
        c.send(json(r#"{"hello":"from a listener"}"#)).unwrap();
        wasm_bindgen::throw_str("listener failure");
    });
    let off_first = ctx.on("m".into(), first).unwrap();
    ctx.on("m".into(), second.listener()).unwrap();
    let off_third = ctx.on("m".into(), third.listener()).unwrap();
    offs.borrow_mut().extend([off_first, off_third]);
    ctx.on_error(errors.listener()).unwrap();
    ctx.on("echo".into(), echoes.listener()).unwrap();
    open(&ctx).await;
    emit(&ctx, r#"[{"type":"m","n":1}]"#);
    until("the send from inside a listener is echoed", 2000, || echoes.len() == 1).await;
    assert_eq!(second.len(), 1, "the listener after a throwing one still runs");
    assert_eq!(third.len(), 0, "removed before its turn: not called");
    assert_eq!(late.len(), 0, "added during the dispatch: not called for it");
    assert_eq!(errors.field("kind"), ["listener_threw"]);
    assert!(errors.field("message")[0].contains("listener failure"));
    emit(&ctx, r#"[{"type":"m","n":2}]"#);
    until("second message", 2000, || late.len() == 1).await;
    assert_eq!(second.len(), 2);
    assert_eq!(stat(&ctx, "listenerErrors"), 1.0);
}

#[wasm_bindgen_test]
async fn free_from_inside_a_listener_stops_every_further_call_and_closes_the_socket() {
    let slot: Rc<RefCell<Option<RealtimeContext>>> = Rc::new(RefCell::new(Some(context(r#"{"url":"{url}/ws?room=free","heartbeat":false}"#))));
    let after = Calls::default();
    let s = slot.clone();
    {
        let guard = slot.borrow();
        let ctx = guard.as_ref().unwrap();
        ctx.on("m".into(), listener(move |_| drop(s.borrow_mut().take()))).unwrap();
        ctx.on("m".into(), after.listener()).unwrap();
        ctx.on("*".into(), after.listener()).unwrap();
    }
    let observer = context(r#"{"url":"{url}/ws?room=free","heartbeat":false}"#);
    open(&observer).await;
    {
        let guard = slot.borrow();
        open(guard.as_ref().unwrap()).await;
        emit(guard.as_ref().unwrap(), r#"[{"type":"m"},{"type":"m"}]"#);
    }
    until("freed", 2000, || slot.borrow().is_none()).await;
    TimeoutFuture::new(100).await;
    assert_eq!(after.len(), 0, "no listener runs after free()");
    let mut open_sockets = 2.0;
    for _ in 0..100 {
        open_sockets = count(&observer).await.0;
        if open_sockets == 1.0 {
            break;
        }
        TimeoutFuture::new(20).await;
    }
    assert_eq!(open_sockets, 1.0, "the freed context's socket is closed on the server");
}

#[wasm_bindgen_test]
async fn disconnect_from_a_listener_closes_and_never_reconnects() {
    let ctx = Rc::new(context(r#"{"url":"{url}/ws","heartbeat":false,"reconnect":{"initialDelayMs":10}}"#));
    let c = ctx.clone();
    ctx.on("bye".into(), listener(move |_| c.disconnect())).unwrap();
    open(&ctx).await;
    emit(&ctx, r#"[{"type":"bye"}]"#);
    until("closed", 2000, || status(&ctx) == "closed").await;
    TimeoutFuture::new(200).await;
    assert_eq!(status(&ctx), "closed");
    assert!(field(&ctx.state(), "error").is_null());
}

// ---- reconnect, give up, auth ----

#[wasm_bindgen_test]
async fn reconnects_by_itself_after_the_server_drops_the_socket() {
    let ctx = context(r#"{"url":"{url}/ws?room=drop","heartbeat":false,"reconnect":{"initialDelayMs":20,"jitter":0}}"#);
    let states = Calls::default();
    ctx.on_state(states.listener()).unwrap();
    open(&ctx).await;
    ctx.send(json(r#"{"cmd":"drop"}"#)).unwrap();
    until("reconnecting", 2000, || status(&ctx) == "reconnecting").await;
    assert!(field(&ctx.state(), "error").as_string().unwrap().contains("1006"));
    until("open again", 3000, || status(&ctx) == "open").await;
    assert_eq!(count(&ctx).await, (1.0, 2.0));
    assert_eq!(stat(&ctx, "reconnects"), 1.0);
    let seen = states.field("status");
    assert_eq!(seen[0], "idle", "onState is called at once with the current state");
    assert!(seen.windows(3).any(|w| w == ["open", "reconnecting", "reconnecting"] || w == ["open", "reconnecting", "open"]), "{seen:?}");
}

#[wasm_bindgen_test]
async fn gives_up_after_max_attempts_then_retry_starts_over() {
    let ctx = context(r#"{"url":"{url}/refuse","heartbeat":false,"reconnect":{"delaysMs":[10],"maxAttempts":3}}"#);
    let states = Calls::default();
    ctx.on_state(states.listener()).unwrap();
    ctx.connect();
    until("gave up", 5000, || status(&ctx) == "closed").await;
    assert!(field(&ctx.state(), "error").as_string().unwrap().contains("gave up"));
    assert_eq!(stat(&ctx, "reconnects"), 2.0, "the first attempt counts: 1 + 2 retries");
    TimeoutFuture::new(100).await;
    assert_eq!(status(&ctx), "closed");
    ctx.retry();
    assert_eq!(status(&ctx), "connecting");
    assert_eq!(field(&ctx.state(), "attempt").as_f64(), Some(1.0));
    until("gave up again", 5000, || status(&ctx) == "closed").await;
}

#[wasm_bindgen_test]
async fn auth_close_codes_end_in_closed_without_a_reconnect_loop() {
    for code in ["4001", "4003", "1008"] {
        let ctx = context(&r#"{"url":"{url}/close/CODE","heartbeat":false,"reconnect":{"initialDelayMs":10}}"#.replace("CODE", code));
        ctx.connect();
        until("closed", 3000, || status(&ctx) == "closed").await;
        let error = field(&ctx.state(), "error").as_string().unwrap();
        assert!(error.contains("unauthorized") && error.contains(code), "{error}");
        TimeoutFuture::new(100).await;
        assert_eq!((status(&ctx), stat(&ctx, "reconnects")), ("closed".into(), 0.0));
    }
}

#[wasm_bindgen_test]
async fn a_server_close_with_another_code_reconnects() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"reconnect":{"initialDelayMs":10,"jitter":0}}"#);
    open(&ctx).await;
    ctx.send(json(r#"{"cmd":"close","code":4500}"#)).unwrap();
    until("reconnecting", 2000, || status(&ctx) == "reconnecting").await;
    until("open again", 2000, || status(&ctx) == "open").await;
}

// ---- queue and heartbeat ----

#[wasm_bindgen_test]
async fn sends_made_while_not_open_are_flushed_in_order_on_open() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"queue":{"maxMessages":3}}"#);
    let echoes = Calls::default();
    ctx.on("echo".into(), echoes.listener()).unwrap();
    assert_eq!(ctx.send(json(r#"{"n":1}"#)).unwrap(), false);
    assert_eq!(ctx.send("plain text".into()).unwrap(), false);
    assert_eq!(ctx.send(json(r#"{"n":3}"#)).unwrap(), false);
    let full = ctx.send(json(r#"{"n":4}"#)).unwrap_err();
    assert!(String::from(js_sys::Error::from(JsValue::from(full)).message()).contains("queue is full"));
    assert_eq!(stat(&ctx, "queued"), 3.0);
    open(&ctx).await;
    until("three echoes", 2000, || echoes.len() == 3).await;
    let data: Vec<String> = echoes.0.borrow().iter().map(|e| String::from(JSON::stringify(&field(e, "data")).unwrap())).collect();
    assert_eq!(data, [r#"{"n":1}"#, r#""plain text""#, r#"{"n":3}"#]);
    assert_eq!(stat(&ctx, "queued"), 0.0);
    assert!(ctx.send(json(r#"{"n":5}"#)).unwrap(), "written at once while open");
    assert!(ctx.send_message(JsValue::from(7), "hi".into(), None).unwrap());
    until("send_message echo", 2000, || echoes.len() == 5).await;
    let last = field(&echoes.get(4), "data");
    assert_eq!(String::from(JSON::stringify(&last).unwrap()), r#"{"conversation_id":7,"message":"hi","type":"TEXT"}"#);
}

#[wasm_bindgen_test]
async fn heartbeat_pings_measure_rtt_and_pongs_reach_no_listener() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":{"intervalMs":50,"timeoutMs":1000}}"#);
    let any = Calls::default();
    ctx.on("*".into(), any.listener()).unwrap();
    ctx.on("pong".into(), any.listener()).unwrap();
    open(&ctx).await;
    until("a round trip", 2000, || !field(&ctx.stats(), "lastRttMs").is_null()).await;
    assert_eq!(any.len(), 0);
    assert_eq!(status(&ctx), "open");
}

#[wasm_bindgen_test]
async fn silence_after_a_ping_closes_and_reconnects() {
    let ctx = context(r#"{"url":"{url}/silent?room=hb","heartbeat":{"intervalMs":50,"timeoutMs":50},"reconnect":{"initialDelayMs":10,"jitter":0}}"#);
    open(&ctx).await;
    until("reconnecting", 2000, || status(&ctx) == "reconnecting").await;
    until("open again", 2000, || status(&ctx) == "open").await;
    assert!(stat(&ctx, "reconnects") >= 1.0);
}

#[wasm_bindgen_test]
async fn connect_timeout_counts_as_a_failed_attempt() {
    let ctx = context(r#"{"url":"{url}/hang","heartbeat":false,"connectTimeoutMs":100,"reconnect":{"maxAttempts":1}}"#);
    ctx.connect();
    until("gave up", 2000, || status(&ctx) == "closed").await;
    assert!(field(&ctx.state(), "error").as_string().unwrap().contains("gave up"));
}

// ---- options and URLs ----

#[wasm_bindgen_test]
fn bad_options_throw_errors_that_name_the_key() {
    let cases = [
        (r#"{"url":"{url}/ws","heartbeat":{"intervalMs":"soon"}}"#, "heartbeat.intervalMs"),
        (r#"{"url":"{url}/ws","reconect":false}"#, "reconect"),
        (r#"{"url":"http://example.com/ws"}"#, "url"),
        (r#"{"url":"ws://[bad"}"#, "url"),
        (r#"{}"#, "url"),
        (r#"{"url":"{url}/ws","token":"s3cret","tokenParam":5}"#, "tokenParam"),
    ];
    for (json, key) in cases {
        let Err(error) = RealtimeContext::new(options(json)) else { panic!("{json} should throw") };
        let message = String::from(js_sys::Error::from(JsValue::from(error)).message());
        assert!(message.contains(key), "{message:?} should name {key}");
        assert!(!message.contains("s3cret"));
    }
    assert!(RealtimeContext::new(JsValue::from(5)).is_err());
}

#[wasm_bindgen_test]
async fn the_token_goes_in_the_query_and_paths_resolve_against_the_page() {
    let ctx = context(r#"{"url":"{url}/hello","token":"t 1&x","heartbeat":false}"#);
    let hello = Calls::default();
    ctx.on("hello".into(), hello.listener()).unwrap();
    ctx.connect();
    until("hello", 2000, || hello.len() == 1).await;
    assert_eq!(field(&field(&hello.get(0), "query"), "token").as_string().as_deref(), Some("t 1&x"));
    // A path resolves against the page (the test page's server is not a WebSocket server, so
    // the attempt fails, which is all this checks: the URL was accepted and tried).
    let relative = context(r#"{"url":"/ws/realtime/","heartbeat":false,"reconnect":false}"#);
    relative.connect();
    until("failed", 3000, || status(&relative) == "closed").await;
}

#[wasm_bindgen_test]
async fn a_new_token_is_used_from_the_next_connection_on() {
    let ctx = context(r#"{"url":"{url}/hello","token":"old","heartbeat":false,"reconnect":{"initialDelayMs":10,"jitter":0}}"#);
    let hello = Calls::default();
    ctx.on("hello".into(), hello.listener()).unwrap();
    ctx.connect();
    until("first hello", 2000, || hello.len() == 1).await;
    ctx.set_token("new".into()).unwrap();
    assert_eq!(status(&ctx), "open", "the open socket is kept");
    ctx.send(json(r#"{"cmd":"drop"}"#)).unwrap();
    until("second hello", 3000, || hello.len() == 2).await;
    let tokens: Vec<String> = hello.0.borrow().iter().map(|h| field(&field(h, "query"), "token").as_string().unwrap()).collect();
    assert_eq!(tokens, ["old", "new"]);
    ctx.set_token(JsValue::NULL).unwrap();
    assert!(ctx.set_token(JsValue::from(5)).is_err());
}

#[wasm_bindgen_test]
fn bad_arguments_throw_instead_of_trapping() {
    let ctx = context(r#"{"url":"{url}/ws"}"#);
    assert!(ctx.on(JsValue::from(1), listener(|_| {})).is_err());
    assert!(ctx.on("x".into(), JsValue::from(1)).is_err());
    assert!(ctx.on_conversation(JsValue::NULL, listener(|_| {})).is_err());
    assert!(ctx.on_conversation(JsValue::from(f64::NAN), listener(|_| {})).is_err());
    assert!(ctx.send(JsValue::UNDEFINED).is_err());
    assert!(ctx.send(JsValue::from(3)).is_err());
    let cyclic = js_sys::Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    assert!(ctx.send(cyclic.into()).is_err());
    assert!(ctx.send_message(JsValue::NULL, "x".into(), None).is_err());
    assert_eq!(status(&ctx), "idle");
}
