//! The connection: disconnect, reconnect, giving up, auth close codes, the send queue, the
//! heartbeat, the connect timeout, the token, and the shapes of `state` and `stats()`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::support::*;

#[wasm_bindgen_test]
async fn disconnect_from_a_listener_closes_and_never_reconnects() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"reconnect":{"initialDelayMs":10}}"#);
    let c = ctx.rc();
    ctx.on("bye".into(), listener(move |_| c.disconnect().js())).js();
    open(&ctx).await;
    emit(&ctx, r#"[{"type":"bye"}]"#);
    until("closed", WAIT, || status(&ctx) == "closed").await;
    sleep(200).await;
    assert_eq!(status(&ctx), "closed");
    assert!(state_error(&ctx).is_null());
}

// ---- reconnect, give up, auth ----

#[wasm_bindgen_test]
async fn reconnects_by_itself_after_the_server_drops_the_socket() {
    let ctx = context(r#"{"url":"{url}/ws?room=drop-{run}","heartbeat":false,"reconnect":{"initialDelayMs":20,"jitter":0}}"#);
    let states = Calls::default();
    ctx.on_state(states.listener()).js();
    open(&ctx).await;
    command(&ctx, r#"{"cmd":"drop"}"#);
    until("reconnecting", WAIT, || status(&ctx) == "reconnecting").await;
    let error = state_error(&ctx).as_string().unwrap_or_default();
    assert!(error.contains("1006"), "{error:?}");
    until("open again", WAIT, || status(&ctx) == "open").await;
    assert_eq!(count(&ctx).await, (1.0, 2.0));
    assert_eq!(stat(&ctx, "reconnects"), 1.0);
    let seen = states.field("status");
    assert_eq!(seen[0], "idle", "onState is called at once with the current state");
    assert!(
        seen.windows(3).any(|w| w == ["open", "reconnecting", "reconnecting"] || w == ["open", "reconnecting", "open"]),
        "{seen:?}"
    );
}

#[wasm_bindgen_test]
async fn gives_up_after_max_attempts_then_retry_starts_over() {
    let ctx = context(r#"{"url":"{url}/refuse","heartbeat":false,"reconnect":{"delaysMs":[10],"maxAttempts":3}}"#);
    ctx.on_state(listener(|_| {})).js(); // as in the first Rust suite: a state listener throughout
    ctx.connect().js();
    // Generous waits: Firefox itself delays repeated failed connections to one host (200-400 ms,
    // growing), which put a give-up at 2-4 s there.
    until("gave up", 30_000, || status(&ctx) == "closed").await;
    let error = state_error(&ctx).as_string().unwrap_or_default();
    assert!(error.contains("gave up"), "{error:?}");
    assert_eq!(stat(&ctx, "reconnects"), 2.0, "the first attempt counts: 1 + 2 retries");
    sleep(100).await;
    assert_eq!(status(&ctx), "closed");
    ctx.retry().js();
    assert_eq!(status(&ctx), "connecting");
    assert_eq!(field(&ctx.state().js(), "attempt").as_f64(), Some(1.0));
    until("gave up again", 30_000, || status(&ctx) == "closed").await;
}

#[wasm_bindgen_test]
async fn auth_close_codes_end_in_closed_without_a_reconnect_loop() {
    for code in ["4001", "4003", "1008"] {
        let ctx = context(&r#"{"url":"{url}/close/CODE","heartbeat":false,"reconnect":{"initialDelayMs":10}}"#.replace("CODE", code));
        ctx.connect().js();
        until("closed", WAIT, || status(&ctx) == "closed").await;
        let error = state_error(&ctx).as_string().unwrap_or_default();
        assert!(error.contains("unauthorized") && error.contains(code), "{error:?}");
        sleep(100).await;
        assert_eq!((status(&ctx), stat(&ctx, "reconnects")), ("closed".to_string(), 0.0), "close code {code}");
    }
}

#[wasm_bindgen_test]
async fn a_server_close_with_another_code_reconnects() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"reconnect":{"initialDelayMs":10,"jitter":0}}"#);
    open(&ctx).await;
    command(&ctx, r#"{"cmd":"close","code":4500}"#);
    until("reconnecting", WAIT, || status(&ctx) == "reconnecting").await;
    until("open again", WAIT, || status(&ctx) == "open").await;
}

// ---- queue and heartbeat ----

#[wasm_bindgen_test]
async fn sends_made_while_not_open_are_flushed_in_order_on_open() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"queue":{"maxMessages":3}}"#);
    let echoes = Calls::default();
    ctx.on("echo".into(), echoes.listener()).js();
    assert!(!ctx.send(json(r#"{"n":1}"#)).js());
    assert!(!ctx.send("plain text".into()).js());
    assert!(!ctx.send(json(r#"{"n":3}"#)).js());
    let full = error_of("a send to a full queue", ctx.send(json(r#"{"n":4}"#)));
    assert!(full.contains("queue is full"), "{full:?}");
    assert_eq!(stat(&ctx, "queued"), 3.0);
    open(&ctx).await;
    until("three echoes", WAIT, || echoes.len() == 3).await;
    let data: Vec<String> = echoes.0.borrow().iter().map(|e| stringify(&field(e, "data"))).collect();
    assert_eq!(data, [r#"{"n":1}"#, r#""plain text""#, r#"{"n":3}"#]);
    assert_eq!(stat(&ctx, "queued"), 0.0);
    assert!(ctx.send(json(r#"{"n":5}"#)).js(), "written at once while open");
    assert!(ctx.send_message(7.into(), "hi".into(), JsValue::UNDEFINED).js(), "sendMessage while open writes at once");
    until("sendMessage echo", WAIT, || echoes.len() == 5).await;
    assert_eq!(stringify(&field(&echoes.get(4), "data")), r#"{"conversation_id":7,"message":"hi","type":"TEXT"}"#);
}

#[wasm_bindgen_test]
async fn heartbeat_pings_measure_rtt_and_pongs_reach_no_listener() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":{"intervalMs":50,"timeoutMs":1000}}"#);
    let any = Calls::default();
    ctx.on("*".into(), any.listener()).js();
    ctx.on("pong".into(), any.listener()).js();
    open(&ctx).await;
    until("a round trip", WAIT, || !field(&ctx.stats().js(), "lastRttMs").is_null()).await;
    assert_eq!(any.len(), 0);
    assert_eq!(status(&ctx), "open");
}

#[wasm_bindgen_test]
async fn silence_after_a_ping_closes_and_reconnects() {
    let ctx = context(r#"{"url":"{url}/silent?room=hb-{run}","heartbeat":{"intervalMs":50,"timeoutMs":50},"reconnect":{"initialDelayMs":10,"jitter":0}}"#);
    open(&ctx).await;
    until("reconnecting", WAIT, || status(&ctx) == "reconnecting").await;
    until("open again", WAIT, || status(&ctx) == "open").await;
    assert!(stat(&ctx, "reconnects") >= 1.0, "at least one reconnect");
}

#[wasm_bindgen_test]
async fn connect_timeout_counts_as_a_failed_attempt() {
    let ctx = context(r#"{"url":"{url}/hang","heartbeat":false,"connectTimeoutMs":100,"reconnect":{"maxAttempts":1}}"#);
    ctx.connect().js();
    until("gave up", WAIT, || status(&ctx) == "closed").await;
    let error = state_error(&ctx).as_string().unwrap_or_default();
    assert!(error.contains("gave up"), "{error:?}");
}

// ---- the token and URLs ----

#[wasm_bindgen_test]
async fn the_token_goes_in_the_query_and_paths_resolve_against_the_page() {
    let ctx = context(r#"{"url":"{url}/hello","token":"t 1&x","heartbeat":false}"#);
    let hello = Calls::default();
    ctx.on("hello".into(), hello.listener()).js();
    ctx.connect().js();
    until("hello", WAIT, || hello.len() == 1).await;
    assert_eq!(text(&field(&hello.get(0), "query"), "token"), "t 1&x");
    // A path resolves against the page (the test runner's server is not a WebSocket server,
    // so the attempt fails, which is all this checks: the URL was accepted and tried).
    let relative = context(r#"{"url":"/ws/realtime/","heartbeat":false,"reconnect":false}"#);
    relative.connect().js();
    until("failed", WAIT, || status(&relative) == "closed").await;
}

#[wasm_bindgen_test]
async fn a_new_token_is_used_from_the_next_connection_on() {
    let ctx = context(r#"{"url":"{url}/hello","token":"old","heartbeat":false,"reconnect":{"initialDelayMs":10,"jitter":0}}"#);
    let hello = Calls::default();
    ctx.on("hello".into(), hello.listener()).js();
    ctx.connect().js();
    until("first hello", WAIT, || hello.len() == 1).await;
    ctx.set_token("new".into()).js();
    assert_eq!(status(&ctx), "open", "the open socket is kept");
    command(&ctx, r#"{"cmd":"drop"}"#);
    until("second hello", WAIT, || hello.len() == 2).await;
    let tokens: Vec<String> = hello.0.borrow().iter().map(|h| text(&field(h, "query"), "token")).collect();
    assert_eq!(tokens, ["old", "new"]);
    ctx.set_token(JsValue::NULL).js();
    error_of("setToken(5)", ctx.set_token(5.into()));
}

// ---- beyond the in-page suite ----

#[wasm_bindgen_test]
async fn token_param_and_conversation_key_options_are_used() {
    let ctx = context(r#"{"url":"{url}/hello","token":"abc","tokenParam":"access_token","conversationKey":"chat_id","heartbeat":false}"#);
    let (hello, echoes, chat) = (Calls::default(), Calls::default(), Calls::default());
    ctx.on("hello".into(), hello.listener()).js();
    ctx.on("echo".into(), echoes.listener()).js();
    ctx.on_conversation(7.into(), chat.listener()).js();
    ctx.connect().js();
    until("hello", WAIT, || hello.len() == 1).await;
    let query = field(&hello.get(0), "query");
    assert_eq!(stringify(&query), r#"{"access_token":"abc"}"#);
    ctx.send_message(7.into(), "hi".into(), "IMAGE".into()).js();
    until("echo", WAIT, || echoes.len() == 1).await;
    assert_eq!(stringify(&field(&echoes.get(0), "data")), r#"{"chat_id":7,"message":"hi","type":"IMAGE"}"#);
    ctx.receive(json(r#"[{"type":"x","chat_id":7},{"type":"x","conversation_id":7}]"#)).js();
    assert_eq!(chat.len(), 1, "conversations are read from conversationKey");
}

#[wasm_bindgen_test]
async fn a_custom_ping_and_pong_type_are_used() {
    // The test server echoes anything but {"type":"ping"} as {"type":"echo"}: with this ping,
    // the echo is the pong, consumed and never routed.
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":{"intervalMs":50,"timeoutMs":5000,"ping":{"op":"hb"},"pongType":"echo"}}"#);
    let any = Calls::default();
    ctx.on("*".into(), any.listener()).js();
    ctx.on("echo".into(), any.listener()).js();
    open(&ctx).await;
    until("a round trip", WAIT, || !field(&ctx.stats().js(), "lastRttMs").is_null()).await;
    assert_eq!(any.len(), 0, "pongs reach no listener");
    assert!(stat(&ctx, "messagesOut") >= 1.0, "pings count in messagesOut");
}

#[wasm_bindgen_test]
async fn state_and_stats_have_the_documented_fields() {
    let ctx = context(r#"{"url":"{url}/refuse","heartbeat":false,"reconnect":{"delaysMs":[60000],"maxAttempts":2}}"#);
    let idle = ctx.state().js();
    assert_eq!(sorted_keys(&idle), ["attempt", "error", "nextRetryInMs", "since", "status"]);
    assert_eq!(text(&idle, "status"), "idle");
    assert_eq!(field(&idle, "attempt").as_f64(), Some(0.0));
    assert!(field(&idle, "nextRetryInMs").is_null() && field(&idle, "error").is_null(), "{}", stringify(&idle));
    let since = field(&idle, "since").as_f64().expect("since is a number");
    assert!(since.fract() == 0.0 && since > 0.0, "since is epoch ms: {since}");

    let stats = ctx.stats().js();
    let mut expected = [
        "messagesIn", "messagesOut", "bytesIn", "bytesOut", "reconnects", "malformedDropped", "listenerErrors", "queued", "lastRttMs",
        "duplicatesDropped", "unacked", "role", "tabs",
    ];
    expected.sort();
    assert_eq!(sorted_keys(&stats), expected);
    for key in expected {
        let value = field(&stats, key);
        let fresh = match key {
            "lastRttMs" => value.is_null(),
            "role" => value.as_string().as_deref() == Some("solo"),
            "tabs" => value.as_f64() == Some(1.0),
            _ => value.as_f64() == Some(0.0),
        };
        assert!(fresh, "stats().{key} of a fresh context: {value:?}");
    }

    ctx.connect().js();
    until("the first attempt failed", WAIT, || status(&ctx) == "reconnecting").await;
    let retrying = ctx.state().js();
    assert_eq!(field(&retrying, "attempt").as_f64(), Some(2.0), "the attempt scheduled: {}", stringify(&retrying));
    let next = field(&retrying, "nextRetryInMs").as_f64().unwrap_or(-1.0);
    assert!(next > 0.0 && next <= 60000.0, "nextRetryInMs is the wait left: {}", stringify(&retrying));
    assert!(field(&retrying, "error").as_string().is_some(), "error says why: {}", stringify(&retrying));
    assert!(field(&retrying, "since").as_f64().unwrap() >= since, "since moves with the status");

    ctx.disconnect().js();
    let closed = ctx.state().js();
    assert_eq!(text(&closed, "status"), "closed");
    assert!(field(&closed, "error").is_null() && field(&closed, "nextRetryInMs").is_null(), "{}", stringify(&closed));
}

#[wasm_bindgen_test]
async fn stats_count_socket_frames_in_utf16_units_and_not_received_ones() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false}"#);
    let echoes = Calls::default();
    ctx.on("echo".into(), echoes.listener()).js();
    open(&ctx).await;
    // "é" and "→" are 1 UTF-16 unit each (2 and 3 UTF-8 bytes), "😀" is 2 (4 bytes).
    let sent = "h\u{e9}llo \u{2192} \u{1F600}";
    assert_eq!(sent.encode_utf16().count(), 10);
    assert!(ctx.send(sent.into()).js());
    until("the echo", WAIT, || echoes.len() == 1).await;
    // The server writes JSON.stringify of the echo, which is what stringify gives back here.
    let frame = stringify(&echoes.get(0)).encode_utf16().count() as f64;
    assert_eq!((stat(&ctx, "messagesOut"), stat(&ctx, "bytesOut")), (1.0, 10.0), "the sent frame, in UTF-16 units");
    assert_eq!((stat(&ctx, "messagesIn"), stat(&ctx, "bytesIn")), (1.0, frame), "the echo frame, in UTF-16 units");
    ctx.receive(json(r#"{"type":"echo","data":"relayed"}"#)).js();
    ctx.receive(r#"{"type":"echo","data":"relayed as text"}"#.into()).js();
    assert_eq!(echoes.len(), 3, "received frames are routed");
    assert_eq!((stat(&ctx, "messagesIn"), stat(&ctx, "bytesIn")), (1.0, frame), "but not counted as socket traffic");
}

/// The own keys of an object, sorted.
fn sorted_keys(obj: &JsValue) -> Vec<String> {
    let mut keys: Vec<String> = js_sys::Object::keys(obj.unchecked_ref::<js_sys::Object>()).iter().filter_map(|k| k.as_string()).collect();
    keys.sort();
    keys
}
