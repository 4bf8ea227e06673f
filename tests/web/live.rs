//! Typing, presence and read receipts: the frames on the wire (echoed by the test server) and
//! the state incoming frames build, with small timings so the rules show within a test.

use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

use crate::support::*;

/// The frames the server echoed, as JSON text, without the commands.
fn echoed(echoes: &Calls) -> Vec<String> {
    (0..echoes.len()).map(|i| stringify(&field(&echoes.get(i), "data"))).collect()
}

fn ids(array: js_sys::Array) -> Vec<String> {
    array.iter().map(|v| stringify(&v)).collect()
}

#[wasm_bindgen_test]
async fn typing_frames_are_throttled_stopped_after_idle_and_never_queued() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"conversationKey":"chat_id","typing":{"throttleMs":600,"idleMs":300}}"#);
    let echoes = Calls::default();
    ctx.on("echo".into(), echoes.listener()).js();
    assert!(!ctx.set_typing(5.into(), JsValue::TRUE).js(), "not open: nothing written");
    open(&ctx).await;
    assert_eq!(stat(&ctx, "queued"), 0.0, "the closed-socket start was not queued");
    assert!(ctx.set_typing(5.into(), JsValue::TRUE).js(), "a start");
    assert!(!ctx.set_typing(5.into(), JsValue::TRUE).js(), "throttled");
    until("the start and the idle stop", WAIT, || echoes.len() == 2).await;
    assert_eq!(echoed(&echoes), [r#"{"type":"typing","chat_id":5,"is_typing":true}"#, r#"{"type":"typing","chat_id":5,"is_typing":false}"#]);
    assert!(ctx.set_typing("5".into(), JsValue::TRUE).js(), "after the stop a start goes out at once");
    assert!(ctx.set_typing(5.into(), JsValue::FALSE).js(), "an explicit stop");
    assert!(!ctx.set_typing(5.into(), JsValue::FALSE).js(), "stopped already");
    until("the explicit start and stop", WAIT, || echoes.len() == 4).await;
    assert_eq!(echoed(&echoes)[2..], [r#"{"type":"typing","chat_id":"5","is_typing":true}"#, r#"{"type":"typing","chat_id":5,"is_typing":false}"#]);
    sleep(500).await;
    assert_eq!(echoes.len(), 4, "no stop after an explicit stop");
}

#[wasm_bindgen_test]
fn typing_arguments_and_the_option_are_checked() {
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","typing":false}"#);
    assert_eq!(error_of("setTyping", ctx.set_typing(5.into(), JsValue::TRUE)), "setTyping(conversationId, isTyping): the typing option is off");
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x"}"#);
    assert_eq!(error_of("setTyping", ctx.set_typing(JsValue::NULL, JsValue::TRUE)), "setTyping(conversationId, isTyping): conversationId must be a string or a finite number");
    assert_eq!(error_of("setTyping", ctx.set_typing(5.into(), "yes".into())), "setTyping(conversationId, isTyping): isTyping must be true or false");
    assert_eq!(error_of("onTyping", ctx.on_typing(JsValue::NULL)), "onTyping(callback): callback must be a function");
}

#[wasm_bindgen_test]
async fn typists_come_refresh_expire_and_clear_when_the_socket_closes() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"reconnect":false,"typing":{"expireMs":400}}"#);
    let changes = Calls::default();
    ctx.on_typing(changes.listener()).js();
    open(&ctx).await;
    emit(&ctx, r#"[{"type":"typing","conversation_id":"c1","user_id":2,"is_typing":true},{"type":"typing","conversation_id":"c1","user_id":"3"}]"#);
    until("two typists", WAIT, || changes.len() == 2).await;
    assert_eq!(ids(ctx.typing_users("c1".into()).js()), ["2", r#""3""#], "in start order, ids as sent");
    assert_eq!(stringify(&changes.last()), r#"{"conversationId":"c1","users":[2,"3"]}"#);
    emit(&ctx, r#"[{"type":"typing","conversation_id":"c1","user_id":"2","is_typing":false}]"#);
    until("2 stopped", WAIT, || changes.len() == 3).await;
    assert_eq!(ids(ctx.typing_users("c1".into()).js()), [r#""3""#], "\"2\" and 2 are one user");
    until("3 expired", WAIT, || changes.len() == 4).await;
    assert!(ctx.typing_users("c1".into()).js().length() == 0);
    emit(&ctx, r#"[{"type":"typing","conversation_id":7,"user_id":2}]"#);
    until("2 typing in 7", WAIT, || ctx.typing_users(7.into()).js().length() == 1).await;
    command(&ctx, r#"{"cmd":"close","code":1000}"#);
    until("closed", WAIT, || status(&ctx) == "closed").await;
    assert_eq!(ctx.typing_users(7.into()).js().length(), 0, "nothing is known without a socket");
    assert_eq!(stringify(&changes.last()), r#"{"conversationId":7,"users":[]}"#);
}

#[wasm_bindgen_test]
async fn presence_follows_events_clears_on_close_and_is_rebuilt_from_the_snapshot() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"reconnect":false}"#);
    let changes = Calls::default();
    ctx.on_presence(changes.listener()).js();
    open(&ctx).await;
    emit(&ctx, r#"[{"type":"user_online","user_id":1,"full_name":"Ada"},{"type":"user_online","user_id":2},{"type":"user_online","user_id":"1"},{"type":"user_offline","user_id":2}]"#);
    until("1 on, 2 on, 2 off", WAIT, || changes.len() == 3).await;
    assert_eq!(ids(ctx.online_users().js()), ["1"]);
    assert!(ctx.is_online("1".into()).js() && !ctx.is_online(2.into()).js());
    command(&ctx, r#"{"cmd":"close","code":1000}"#);
    until("cleared", WAIT, || changes.len() == 4).await;
    assert_eq!(ctx.online_users().js().length(), 0);
    open(&ctx).await;
    emit(&ctx, r#"[{"type":"online_users","users":[{"user_id":3,"full_name":"Cy"},4,{"no_id":true}]}]"#);
    until("the snapshot", WAIT, || changes.len() == 5).await;
    assert_eq!(stringify(&changes.last()), "[3,4]");
}

#[wasm_bindgen_test]
async fn read_receipts_go_out_once_per_change() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"idKey":"message_id","conversationKey":"chat_id","readReceipts":true}"#);
    let echoes = Calls::default();
    ctx.on("echo".into(), echoes.listener()).js();
    let messages = Calls::default();
    ctx.on("new_message".into(), messages.listener()).js();
    open(&ctx).await;
    ctx.mark_read(5.into()).js();
    emit(&ctx, r#"[{"type":"new_message","chat_id":5,"message_id":41},{"type":"new_message","chat_id":5,"message_id":42}]"#);
    until("two messages", WAIT, || messages.len() == 2).await;
    ctx.mark_read(5.into()).js();
    ctx.mark_read(5.into()).js();
    ctx.set_active_conversation("5".into()).js();
    emit(&ctx, r#"[{"type":"new_message","chat_id":5,"message_id":43}]"#);
    until("the receipts", WAIT, || echoes.len() == 2).await;
    let receipts = echoed(&echoes);
    assert_eq!(receipts[0], r#"{"type":"read","chat_id":5,"last_id":42}"#, "markRead sends the last id, once");
    assert!(receipts[1] == r#"{"type":"read","chat_id":5,"last_id":43}"#, "a message seen in the active conversation: {receipts:?}");
}
