//! Delivery: de-duplication, the resume frame, acknowledged sends and their Promises, the
//! token provider, oversize frames, the outbox kept in `sessionStorage`, and the rate limit of
//! browser notifications.

use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

use crate::support::*;

#[wasm_bindgen(inline_js = r#"
// A token provider that counts its calls and answers `token` (a Promise of it when `later`).
export function provider(token, later) {
  const f = () => { f.calls += 1; return later ? Promise.resolve(token) : token; };
  f.calls = 0;
  return f;
}
export function calls(f) { return f.calls; }
export function stored(prefix) {
  const found = [];
  for (let i = 0; i < sessionStorage.length; i++) {
    const key = sessionStorage.key(i);
    if (key.startsWith(prefix)) found.push([key, JSON.parse(sessionStorage.getItem(key))]);
  }
  return found;
}
export function store(key, value) { sessionStorage.setItem(key, value); }
"#)]
extern "C" {
    fn provider(token: &JsValue, later: bool) -> Function;
    fn calls(f: &Function) -> u32;
    /// `[key, parsed value]` of every `sessionStorage` item whose key starts with `prefix`.
    fn stored(prefix: &str) -> js_sys::Array;
    fn store(key: &str, value: &str);
}

/// The key prefix of the outbox stored for `url` and `user`.
fn outbox_prefix(url: &str, user: &str) -> String {
    format!("realtime-context:outbox:{}\n{user}#", url.replace("{url}", SERVER).replace("{run}", &run_id()))
}

#[wasm_bindgen_test]
async fn duplicates_are_dropped_before_any_listener_and_123_is_the_same_as_the_string() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"idKey":"id","dedupWindow":3}"#);
    let all = Calls::default();
    ctx.on("*".into(), all.listener()).js();
    deliver(
        &ctx,
        r#"[{"type":"t","id":1,"n":1},{"type":"t","id":"1","n":2},{"type":"u","id":1,"n":3},{"type":"t","n":4},
            {"type":"t","n":5},{"type":"t","id":{"x":1},"n":6},{"type":"t","id":2,"n":7},{"type":"t","id":3,"n":8},
            {"type":"t","id":1,"n":9}]"#,
        8,
    )
    .await;
    // n=2 repeats (t, 1); n=6's id is no id; n=9 comes after (t, 1) left the window of 3.
    assert_eq!(all.numbers("n"), [1.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
    assert_eq!(stat(&ctx, "duplicatesDropped"), 1.0);
}

#[wasm_bindgen_test]
async fn every_reconnect_writes_the_resume_frame_with_the_last_id_first() {
    let ctx = context(r#"{"url":"{url}/ws?room=resume-{run}","heartbeat":false,"idKey":"id","resume":true,"reconnect":{"initialDelayMs":20,"jitter":0}}"#);
    let echoes = Calls::default();
    ctx.on("echo".into(), echoes.listener()).js();
    deliver(&ctx, r#"[{"type":"t","id":"a-7"},{"type":"t","id":41}]"#, 2).await;
    assert_eq!(echoes.len(), 0, "the first open sends no resume frame: no id was seen before it");
    ctx.disconnect().js();
    assert!(!ctx.send(json(r#"{"queued":1}"#)).js());
    ctx.connect().js();
    until("two echoes", WAIT, || echoes.len() >= 2).await;
    let resume = field(&echoes.get(0), "data");
    assert_eq!(stringify(&resume), r#"{"type":"resume","last_id":41}"#, "the id as the server sent it");
    assert_eq!(stringify(&field(&echoes.get(1), "data")), r#"{"queued":1}"#);
}

#[wasm_bindgen_test]
async fn send_acked_resolves_with_the_ack_and_the_frame_carries_a_fresh_client_id() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"ack":true}"#);
    let echoes = Calls::default();
    ctx.on("echo".into(), echoes.listener()).js();
    let acks = Calls::default();
    ctx.on("ack".into(), acks.listener()).js();
    // Sent before the socket opens: queued, written on open, settled by the ack.
    let first = ctx.send_acked(json(r#"{"type":"chat","text":"hi"}"#)).js();
    assert_eq!((stat(&ctx, "queued"), stat(&ctx, "unacked")), (1.0, 0.0));
    open(&ctx).await;
    let ack = JsFuture::from(first).await.expect("the ack resolves the Promise");
    let id = text(&ack, "client_id");
    assert!(id.starts_with('c') && id.contains('-'), "{id:?}");
    until("echo", WAIT, || echoes.len() == 1).await;
    assert_eq!(text(&field(&echoes.get(0), "data"), "client_id"), id);
    assert_eq!(text(&field(&echoes.get(0), "data"), "text"), "hi", "a copy of the object with the id added");
    assert_eq!(acks.len(), 1, "the ack also reaches on('ack') listeners");
    let second = ctx.send_acked(json(r#"{"type":"chat"}"#)).js();
    let ack2 = JsFuture::from(second).await.expect("resolves");
    assert_ne!(text(&ack2, "client_id"), id, "every send gets its own id");
    assert_eq!(stat(&ctx, "unacked"), 0.0);
}

#[wasm_bindgen_test]
async fn send_acked_rejects_after_the_timeout_of_open_connection_and_on_free() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"ack":{"timeoutMs":200}}"#);
    open(&ctx).await;
    let unanswered = ctx.send_acked(json(r#"{"noack":true}"#)).js();
    assert_eq!(stat(&ctx, "unacked"), 1.0);
    let error = JsFuture::from(unanswered).await.expect_err("no ack: rejected");
    assert_eq!(message(&error), "sendAcked: no ack within 200 ms of open connection");
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(stat(&ctx, "unacked"), 0.0, "it left the outbox");
    let idle = context(r#"{"url":"{url}/ws","ack":true}"#);
    let pending = idle.send_acked(json("{}")).js();
    idle.free();
    let error = JsFuture::from(pending).await.expect_err("rejected by free()");
    assert_eq!(message(&error), "RealtimeContext: freed before the ack arrived");
}

#[wasm_bindgen_test]
fn send_acked_refuses_what_it_cannot_send() {
    let off = context(r#"{"url":"{url}/ws"}"#);
    assert_eq!(error_of("sendAcked", off.send_acked(json("{}"))), "sendAcked(data): the ack option is off (set ack: true)");
    let ctx = context(r#"{"url":"{url}/ws","ack":true,"queue":{"maxMessages":1}}"#);
    for bad in [json("[]"), json("\"text\""), JsValue::NULL] {
        assert_eq!(error_of("sendAcked", ctx.send_acked(bad)), "sendAcked(data): expected an object");
    }
    let _pending = ctx.send_acked(json("{}")).js();
    let full = error_of("sendAcked", ctx.send_acked(json("{}")));
    assert!(full.starts_with("send: the queue is full"), "{full}");
}

#[wasm_bindgen_test]
async fn a_refused_token_is_refreshed_once_through_the_provider() {
    let ctx = context(r#"{"url":"{url}/auth?room=auth-{run}","token":"stale","heartbeat":false}"#);
    let fresh = provider(&"good".into(), true);
    ctx.set_token_provider(fresh.clone().into()).js();
    ctx.connect().js();
    until("open with the fresh token", WAIT, || status(&ctx) == "open").await;
    assert_eq!(calls(&fresh), 1);
    assert!(state_error(&ctx).is_null());
}

#[wasm_bindgen_test]
async fn a_fresh_token_refused_too_ends_unauthorized_without_a_loop() {
    let ctx = context(r#"{"url":"{url}/auth","token":"stale","heartbeat":false,"reconnect":{"initialDelayMs":10}}"#);
    let still_bad = provider(&"also-bad".into(), false);
    ctx.set_token_provider(still_bad.clone().into()).js();
    let errors = Calls::default();
    ctx.on_error(errors.listener()).js();
    ctx.connect().js();
    until("closed", WAIT, || status(&ctx) == "closed").await;
    let error = state_error(&ctx).as_string().unwrap_or_default();
    assert!(error.starts_with("unauthorized"), "{error}");
    sleep(200).await;
    assert_eq!((status(&ctx), calls(&still_bad)), ("closed".to_string(), 1));
    // A provider that gives nothing ends it too, and says why.
    let none = context(r#"{"url":"{url}/auth","token":"stale","heartbeat":false}"#);
    none.on_error(errors.listener()).js();
    none.set_token_provider(provider(&JsValue::NULL, true).into()).js();
    none.connect().js();
    until("closed", WAIT, || status(&none) == "closed").await;
    assert_eq!(errors.field("kind"), ["token_provider"]);
    assert_eq!(errors.field("message"), ["the token provider gave no token"]);
}

#[wasm_bindgen_test]
async fn an_oversize_frame_is_dropped_unparsed_and_the_socket_stays_open() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"maxFrameBytes":64}"#);
    let (errors, got) = (Calls::default(), Calls::default());
    ctx.on_error(errors.listener()).js();
    ctx.on("t".into(), got.listener()).js();
    open(&ctx).await;
    let big = format!(r#"{{"type":"t","pad":"{}"}}"#, "x".repeat(100));
    emit(&ctx, &format!(r#"[{},{{"type":"t","n":1}}]"#, stringify(&JsValue::from_str(&big))));
    until("the small one", WAIT, || got.len() == 1).await;
    assert_eq!(errors.field("kind"), ["oversize"]);
    assert_eq!(stat(&ctx, "malformedDropped"), 1.0);
    assert_eq!(status(&ctx), "open");
    ctx.receive(JsValue::from_str(&big)).js();
    assert_eq!(stat(&ctx, "malformedDropped"), 2.0, "receive() applies the limit too");
}

#[wasm_bindgen_test]
async fn the_outbox_is_kept_in_session_storage_without_the_token_and_dropped_by_free() {
    let url = "{url}/refuse?room=store-{run}";
    let ctx = context(&format!(r#"{{"url":"{url}","token":"{SECRET}","userKey":"ada","ack":true,"heartbeat":false,"reconnect":false}}"#));
    ctx.send(json(r#"{"n":1}"#)).js();
    let _pending = ctx.send_acked(json(r#"{"n":2}"#)).js();
    let prefix = outbox_prefix(url, "ada");
    let items = stored(&prefix);
    assert_eq!(items.length(), 1, "one key for this context");
    let text = stringify(&items.get(0));
    assert!(!text.contains(SECRET), "never the token: {text}");
    let frames = js_sys::Array::from(&js_sys::Array::from(&items.get(0)).get(1));
    assert_eq!(frames.length(), 2);
    assert_eq!(stringify(&js_sys::Array::from(&frames.get(0)).get(1)), "null", "a plain frame has no client_id");
    assert!(text.contains("client_id"), "{text}");
    ctx.free();
    assert_eq!(stored(&prefix).length(), 0, "free() drops what it kept");
}

#[wasm_bindgen_test]
async fn a_new_context_writes_what_an_earlier_page_left_first_once_and_in_order() {
    let url = "{url}/ws?room=adopt-{run}";
    let prefix = outbox_prefix(url, "bo");
    // What a page closed while offline left: a plain frame and an acknowledged one.
    store(&format!("{prefix}41"), r#"[["{\"n\":1}",null],["{\"n\":2,\"client_id\":\"c7-0\"}","c7-0"]]"#);
    store(&format!("{}41", outbox_prefix(url, "someone-else")), r#"[["{\"n\":99}",null]]"#);
    let ctx = context(&format!(r#"{{"url":"{url}","userKey":"bo","ack":true,"heartbeat":false}}"#));
    let echoes = Calls::default();
    ctx.on("echo".into(), echoes.listener()).js();
    assert_eq!(stat(&ctx, "queued"), 2.0);
    ctx.send(json(r#"{"n":3}"#)).js();
    open(&ctx).await;
    until("three echoes", WAIT, || echoes.len() >= 3).await;
    sleep(100).await;
    let ns: Vec<f64> = echoes.0.borrow().iter().map(|e| field(&field(e, "data"), "n").as_f64().unwrap_or(f64::NAN)).collect();
    assert_eq!(ns, [1.0, 2.0, 3.0]);
    until("acked", WAIT, || stat(&ctx, "unacked") == 0.0).await;
    assert_eq!(stored(&prefix).length(), 0, "adopted and, once all is sent, nothing left");
    assert_eq!(stored(&outbox_prefix(url, "someone-else")).length(), 1, "another user's frames stay theirs");
}

#[wasm_bindgen_test]
async fn browser_notifications_are_rate_limited_to_five_then_one_summary() {
    let record = record_notifications();
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false}"#);
    for n in 0..8 {
        ctx.receive(json(&format!(r#"{{"type":"new_message","conversation_id":{n},"sender_name":"Ann","message":"m{n}"}}"#))).js();
    }
    let entries = shown(&record);
    if permission() != "granted" {
        return assert!(entries.is_empty());
    }
    let titles: Vec<String> = entries.iter().map(|e| text(e, "title")).collect();
    assert_eq!(titles, ["Ann", "Ann", "Ann", "Ann", "Ann", "1 new message", "2 new messages", "3 new messages"]);
    let summaries: Vec<String> = entries[5..].iter().map(|e| text(e, "tag")).collect();
    assert!(summaries.iter().all(|t| t == "realtime-context-summary"), "one summary, replaced: {summaries:?}");
}
