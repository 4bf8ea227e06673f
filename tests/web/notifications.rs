//! Unread counts and real browser notifications. webdriver.json grants the notification
//! permission, so the browser constructs real `Notification` objects; a recording subclass
//! (support.rs) lets the tests see them and click them.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

use crate::support::*;

const CHAT: &str = r#"[[
  {"type":"new_message","conversation_id":1,"sender_name":"Ann","message":"<b>hi</b> from 1"},
  {"type":"new_message","conversation_id":"1","sender_name":"Ann","message":"again"},
  {"type":"new_message","conversation_id":2,"sender_name":"Bob","message":"from 2"},
  {"type":"typing","conversation_id":2}
]]"#;

#[wasm_bindgen_test]
async fn unread_counts_follow_the_active_conversation() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"notify":{"types":["new_message"]}}"#);
    let changes: Rc<RefCell<Vec<(JsValue, JsValue, JsValue)>>> = Rc::default();
    let c = changes.clone();
    ctx.on_unread(listener(move |e| c.borrow_mut().push((field(&e, "conversationId"), field(&e, "count"), field(&e, "total"))))).js();
    ctx.set_active_conversation(2.into()).js();
    deliver(&ctx, CHAT, 4).await;
    assert_eq!((ctx.unread_count(1.into()).js(), ctx.unread_count("1".into()).js()), (2, 2));
    assert_eq!(ctx.unread_count(2.into()).js(), 0, "the active conversation on a visible page stays read");
    assert_eq!(ctx.total_unread().js(), 2.0);
    assert_eq!(changes.borrow().len(), 2);
    assert_eq!(changes.borrow()[1].0, JsValue::from(1), "the id comes back as the server first sent it");
    assert_eq!(changes.borrow()[1].1.as_f64(), Some(2.0));
    ctx.set_active_conversation("1".into()).js();
    assert_eq!((ctx.unread_count(1.into()).js(), ctx.total_unread().js()), (0, 0.0));
    assert_eq!(ctx.active_conversation().js(), JsValue::from_str("1"));
    assert_eq!(changes.borrow().last().unwrap().1.as_f64(), Some(0.0));
    for (_, count, total) in changes.borrow().iter() {
        assert!(count.as_f64().is_some() && total.as_f64().is_some(), "counts and totals are numbers: {count:?} {total:?}");
    }
    ctx.set_active_conversation(JsValue::NULL).js();
    assert!(ctx.active_conversation().js().is_null());
    error_of("setActiveConversation(true)", ctx.set_active_conversation(true.into()));
}

#[wasm_bindgen_test]
async fn real_notifications_are_tagged_per_conversation_and_close_on_activate() {
    assert_eq!(permission(), "granted", "webdriver.json grants the notification permission");
    let record = record_notifications();
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false}"#);
    let clicks = Calls::default();
    ctx.on_notification_click(clicks.listener()).js();
    ctx.set_active_conversation(2.into()).js();
    deliver(&ctx, CHAT, 4).await;
    let entries = shown(&record);
    assert_eq!(entries.len(), 2, "two for conversation 1, none for the active 2, none for typing");
    assert_eq!(text(&entries[0], "title"), "Ann");
    assert_eq!(text(&entries[0], "body"), "<b>hi</b> from 1", "text, never HTML");
    assert_eq!(text(&entries[0], "tag"), "conversation-1");
    assert_eq!(text(&entries[1], "tag"), "conversation-1", "a burst replaces rather than stacks");
    click(&entries[1]);
    assert_eq!(clicks.len(), 1);
    assert_eq!(text(&clicks.get(0), "message"), "again");
    ctx.set_active_conversation(1.into()).js();
    deliver(&ctx, r#"[{"type":"new_message","conversation_id":3,"message":"from 3"}]"#, 1).await;
    ctx.set_active_conversation(1.into()).js();
    let last = record.get(2);
    assert_eq!(field(&last, "closed").as_bool(), Some(false), "conversation 3's notification stays open");
    ctx.set_active_conversation(3.into()).js();
    assert_eq!(field(&last, "closed").as_bool(), Some(true), "activating 3 closes its notification");
    restore_notification_api();
}

#[wasm_bindgen_test]
async fn a_formatter_shapes_or_suppresses_notifications() {
    let record = record_notifications();
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false}"#);
    ctx.set_notification_formatter(
        Closure::<dyn FnMut(JsValue) -> JsValue>::new(|m: JsValue| match text(&m, "message").as_str() {
            "again" => JsValue::NULL,
            body => {
                let content = Object::new();
                for (key, value) in [("title", "Chat"), ("body", body), ("tag", "all")] {
                    Reflect::set(&content, &key.into(), &value.into()).unwrap();
                }
                content.into()
            }
        })
        .into_js_value(),
    )
    .js();
    deliver(&ctx, CHAT, 4).await;
    let titles: Vec<(String, String)> = shown(&record).iter().map(|e| (text(e, "title"), text(e, "tag"))).collect();
    assert_eq!(titles, [("Chat".to_string(), "all".to_string()), ("Chat".to_string(), "all".to_string())]);
    error_of("setNotificationFormatter(1)", ctx.set_notification_formatter(1.into()));
    restore_notification_api();
}

#[wasm_bindgen_test]
async fn without_the_notification_api_unread_counts_still_work_and_nothing_throws() {
    remove_notification_api();
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false}"#);
    let errors = Calls::default();
    ctx.on_error(errors.listener()).js();
    let answer = JsFuture::from(ctx.request_notification_permission().js()).await;
    let answer = answer.unwrap_or_else(|e| panic!("requestNotificationPermission() rejected: {}", message(&e)));
    assert_eq!(answer.as_string().as_deref(), Some("unsupported"));
    deliver(&ctx, CHAT, 4).await;
    assert_eq!((ctx.unread_count(1.into()).js(), ctx.unread_count(2.into()).js()), (2, 1));
    assert_eq!(errors.len(), 0, "errors reported: {:?}", errors.field("message"));
    restore_notification_api();
}

// ---- beyond the in-page suite ----

#[wasm_bindgen_test]
fn a_click_on_a_notification_calls_on_notification_click_with_its_message() {
    assert_eq!(permission(), "granted", "webdriver.json grants the notification permission");
    let record = record_notifications();
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false}"#);
    let (clicks, others) = (Calls::default(), Calls::default());
    ctx.on_notification_click(clicks.listener()).js();
    ctx.on_notification_click(others.listener()).js();
    ctx.receive(json(
        r#"[{"type":"new_message","conversation_id":1,"sender_name":"Ann","message":"one","n":1},
            {"type":"new_message","conversation_id":3,"sender_name":"Cy","message":"three","n":3}]"#,
    ))
    .js();
    let entries = shown(&record);
    assert_eq!(entries.len(), 2, "one notification per conversation");
    assert_eq!([text(&entries[0], "tag"), text(&entries[1], "tag")], ["conversation-1", "conversation-3"]);
    assert_eq!(clicks.len(), 0, "nothing is called before a click");
    click(&entries[1]);
    click(&entries[0]);
    assert_eq!(clicks.numbers("n"), [3.0, 1.0], "each click passes the message of its notification");
    assert_eq!(clicks.field("message"), ["three", "one"]);
    assert_eq!(others.len(), 2, "every click listener runs");
    assert_eq!(field(&clicks.get(0), "conversation_id").as_f64(), Some(3.0), "the message as the server sent it");
    restore_notification_api();
}

#[wasm_bindgen_test]
fn an_unsubscribed_click_listener_is_not_called() {
    let record = record_notifications();
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false}"#);
    let clicks = Calls::default();
    let unsubscribe = ctx.on_notification_click(clicks.listener()).js();
    ctx.receive(json(r#"{"type":"new_message","conversation_id":1,"message":"one"}"#)).js();
    off(&unsubscribe);
    let entries = shown(&record);
    assert_eq!(entries.len(), 1);
    click(&entries[0]);
    assert_eq!(clicks.len(), 0);
    restore_notification_api();
}

#[wasm_bindgen_test]
async fn request_notification_permission_answers_the_granted_permission() {
    assert_eq!(permission(), "granted", "webdriver.json grants the notification permission");
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false}"#);
    let answer = JsFuture::from(ctx.request_notification_permission().js()).await;
    let answer = answer.unwrap_or_else(|e| panic!("requestNotificationPermission() rejected: {}", message(&e)));
    assert_eq!(answer.as_string().as_deref(), Some("granted"));
}

#[wasm_bindgen_test]
fn notify_keys_choose_the_title_and_body_and_the_default_title_fills_in() {
    let record = record_notifications();
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false,"notify":{"types":["chat"],"titleKey":"from","bodyKey":"text"}}"#);
    ctx.receive(json(
        r#"[{"type":"chat","conversation_id":5,"from":"Dee","text":"hello"},
            {"type":"chat","conversation_id":6,"text":"no sender"},
            {"type":"new_message","conversation_id":7,"sender_name":"Ann","message":"not a notify type here"}]"#,
    ))
    .js();
    let got: Vec<(String, String, String)> = shown(&record).iter().map(|e| (text(e, "title"), text(e, "body"), text(e, "tag"))).collect();
    assert_eq!(
        got,
        [
            ("Dee".to_string(), "hello".to_string(), "conversation-5".to_string()),
            ("New message".to_string(), "no sender".to_string(), "conversation-6".to_string()),
        ]
    );
    assert_eq!((ctx.unread_count(5.into()).js(), ctx.unread_count(7.into()).js(), ctx.total_unread().js()), (1, 0, 2.0));
    restore_notification_api();
}

#[wasm_bindgen_test]
fn a_notify_message_without_a_conversation_notifies_but_counts_nowhere() {
    let record = record_notifications();
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false}"#);
    let unread = Calls::default();
    ctx.on_unread(unread.listener()).js();
    ctx.receive(json(r#"{"type":"new_message","sender_name":"Ann","message":"to nobody in particular"}"#)).js();
    let entries = shown(&record);
    assert_eq!(entries.len(), 1, "it notifies");
    assert_eq!(text(&entries[0], "title"), "Ann");
    assert_eq!(text(&entries[0], "tag"), "", "no conversation, no tag");
    assert_eq!(ctx.total_unread().js(), 0.0, "it counts nowhere");
    assert_eq!(unread.len(), 0);
    restore_notification_api();
}

#[wasm_bindgen_test]
fn notify_false_counts_nothing_and_shows_nothing() {
    let record = record_notifications();
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false,"notify":false}"#);
    let (unread, formatted) = (Calls::default(), Calls::default());
    ctx.on_unread(unread.listener()).js();
    let f = formatted.clone();
    ctx.set_notification_formatter(
        Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |m: JsValue| {
            f.0.borrow_mut().push(m);
            JsValue::NULL
        })
        .into_js_value(),
    )
    .js();
    ctx.receive(json(r#"{"type":"new_message","conversation_id":1,"message":"hi"}"#)).js();
    assert_eq!((ctx.unread_count(1.into()).js(), ctx.total_unread().js()), (0, 0.0));
    assert_eq!(unread.len(), 0);
    assert_eq!(formatted.len(), 0, "nothing to format when notify is off");
    assert_eq!(shown(&record).len(), 0);
    restore_notification_api();
}

#[wasm_bindgen_test]
fn mark_read_clears_a_count_and_unknown_ids_count_zero() {
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false,"notify":{"types":["new_message"]}}"#);
    ctx.set_notification_formatter(Closure::<dyn FnMut(JsValue) -> JsValue>::new(|_| JsValue::NULL).into_js_value()).js();
    let changes = Calls::default();
    ctx.on_unread(changes.listener()).js();
    ctx.receive(json(
        r#"[{"type":"new_message","conversation_id":"conv_a"},{"type":"new_message","conversation_id":"conv_a"},{"type":"new_message","conversation_id":9}]"#,
    ))
    .js();
    assert_eq!((ctx.unread_count("conv_a".into()).js(), ctx.unread_count(9.into()).js(), ctx.total_unread().js()), (2, 1, 3.0));
    assert_eq!(ctx.unread_count("never seen".into()).js(), 0);
    assert_eq!(ctx.unread_count(12345.into()).js(), 0);
    ctx.mark_read("conv_a".into()).js();
    assert_eq!((ctx.unread_count("conv_a".into()).js(), ctx.total_unread().js()), (0, 1.0));
    let last = changes.last();
    assert_eq!(field(&last, "conversationId").as_string().as_deref(), Some("conv_a"), "text ids come back as given");
    assert_eq!((field(&last, "count").as_f64(), field(&last, "total").as_f64()), (Some(0.0), Some(1.0)));
    let before = changes.len();
    ctx.mark_read("conv_a".into()).js();
    ctx.mark_read("never seen".into()).js();
    assert_eq!(changes.len(), before, "no change, no onUnread call");
}
