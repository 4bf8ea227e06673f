//! What the seed apps used to adapt by hand, now options: a notification's title and body at a
//! dotted path (000), several in-app notification types (003), the frame `sendMessage` writes
//! (004), and the user's own messages echoed back (001, 004).

use wasm_bindgen_test::*;

use crate::support::*;

#[wasm_bindgen_test]
fn title_and_body_may_sit_inside_the_message_at_a_dotted_path() {
    let record = record_notifications();
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false,"notify":{"types":["notification"],"titleKey":"notification.title","bodyKey":"notification.body"},"notificationType":"none"}"#);
    ctx.receive(json(r#"{"type":"notification","notification":{"id":1,"title":"Friend request","body":"Ada wants to connect"}}"#)).js();
    ctx.receive(json(r#"{"type":"notification","notification":"not an object"}"#)).js();
    let entries = shown(&record);
    if permission() != "granted" {
        return assert!(entries.is_empty());
    }
    assert_eq!(entries.iter().map(|e| (text(e, "title"), text(e, "body"))).collect::<Vec<_>>(), [
        ("Friend request".to_string(), "Ada wants to connect".to_string()),
        ("New message".to_string(), String::new()),
    ]);
}

#[wasm_bindgen_test]
fn several_types_go_to_the_in_app_store() {
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false,"notify":false,"notificationType":["new_conversation","system_alert"]}"#);
    ctx.receive(json(
        r#"[{"type":"new_conversation","notification":{"id":1}},{"type":"system_alert","notification":{"id":2}},{"type":"other","notification":{"id":3}}]"#,
    ))
    .js();
    let ids: Vec<f64> = js_sys::Array::from(&ctx.notifications().js()).iter().map(|n| field(&n, "id").as_f64().unwrap()).collect();
    assert_eq!(ids, [2.0, 1.0], "newest first; `other` is no notification type");
}

#[wasm_bindgen_test]
async fn send_message_writes_the_frame_the_server_wants() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"conversationKey":"chat_id","messageFrame":{"textKey":"content","type":"message"}}"#);
    let echoes = Calls::default();
    ctx.on("echo".into(), echoes.listener()).js();
    open(&ctx).await;
    ctx.send_message(5.into(), "hi".into(), wasm_bindgen::JsValue::UNDEFINED).js();
    until("echo", WAIT, || echoes.len() == 1).await;
    assert_eq!(stringify(&field(&echoes.get(0), "data")), r#"{"chat_id":5,"content":"hi","type":"message"}"#);
}

#[wasm_bindgen_test]
fn the_users_own_messages_and_typing_reach_listeners_but_count_notify_and_type_nowhere() {
    let record = record_notifications();
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false,"userId":"2","notify":{"senderKey":"from.id"}}"#);
    let (messages, typing) = (Calls::default(), Calls::default());
    ctx.on("new_message".into(), messages.listener()).js();
    ctx.on("typing".into(), typing.listener()).js();
    ctx.receive(json(
        r#"[{"type":"new_message","conversation_id":7,"from":{"id":2},"message":"mine"},
            {"type":"new_message","conversation_id":7,"from":{"id":3},"message":"theirs"},
            {"type":"new_message","conversation_id":7,"from":"2","message":"no sender at the path"},
            {"type":"new_message","from":{"id":"2"},"message":"mine, no conversation"},
            {"type":"typing","conversation_id":7,"user_id":2},
            {"type":"typing","conversation_id":7,"user_id":3}]"#,
    ))
    .js();
    assert_eq!((messages.len(), typing.len()), (4, 2), "every frame reaches its listeners");
    assert_eq!(ctx.unread_count(7.into()).js(), 2, "\"2\" and 2 are one id: only the others' count");
    assert_eq!(stringify(&ctx.typing_users(7.into()).js().into()), "[3]", "the user is no typist of their own");
    let bodies: Vec<String> = shown(&record).iter().map(|e| text(e, "body")).collect();
    match permission() == "granted" {
        true => assert_eq!(bodies, ["theirs", "no sender at the path"]),
        false => assert!(bodies.is_empty()),
    }
}
