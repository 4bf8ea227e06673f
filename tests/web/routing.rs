//! Routing by type and conversation, bad input, re-entrant listeners, throwing listeners and
//! the argument checks of the facade.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Reflect};
use realtime_context::RealtimeContext;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use crate::support::*;

// ---- connect and routing ----

#[wasm_bindgen_test]
async fn connects_and_routes_by_type_to_every_listener_in_order() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false}"#);
    assert_eq!(status(&ctx), "idle");
    let (a, b, any, order) = (Calls::default(), Calls::default(), Calls::default(), Log::default());
    ctx.on("notification".into(), order.listener("first")).js();
    ctx.on("notification".into(), a.listener()).js();
    ctx.on("friend_request_update".into(), b.listener()).js();
    ctx.on("*".into(), any.listener()).js();
    ctx.on("notification".into(), order.listener("last")).js();
    open(&ctx).await;
    emit(&ctx, r#"[{"type":"notification","notification":{"id":1}},{"type":"friend_request_update","action":"accepted"},{"type":"other"}]"#);
    until("three messages", WAIT, || any.len() == 3).await;
    assert_eq!(a.len(), 1);
    assert_eq!(field(&field(&a.get(0), "notification"), "id").as_f64(), Some(1.0));
    assert_eq!(b.field("action"), ["accepted"]);
    assert_eq!(any.field("type"), ["notification", "friend_request_update", "other"]);
    assert_eq!(order.entries(), ["first", "last"]);
    assert_eq!(stat(&ctx, "messagesIn"), 3.0);
}

#[wasm_bindgen_test]
async fn batches_route_element_by_element_and_conversations_match_numbers_and_strings() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"routeKey":"event_type"}"#);
    let (by_number, by_text, typed) = (Calls::default(), Calls::default(), Calls::default());
    ctx.on_conversation(123.into(), by_number.listener()).js();
    ctx.on_conversation("conv_9".into(), by_text.listener()).js();
    ctx.on("new_message".into(), typed.listener()).js();
    open(&ctx).await;
    emit(
        &ctx,
        r#"[[{"event_type":"new_message","conversation_id":"123","n":1},{"event_type":"typing","conversation_id":123,"n":2},{"event_type":"new_message","conversation_id":"conv_9","n":3},{"event_type":"new_message","conversation_id":124,"n":4}]]"#,
    );
    until("batch routed", WAIT, || typed.len() == 3).await;
    assert_eq!(by_number.numbers("n"), [1.0, 2.0]);
    assert_eq!(by_text.len(), 1);
}

#[wasm_bindgen_test]
fn order_holds_while_star_and_conversation_listeners_come_and_go() {
    // Messages of a type with only type listeners may skip the core's decision; a "*" or a
    // conversation listener sends them through it. Either way: the same listeners, in order.
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false,"notify":false}"#);
    let got = Log::default();
    let later: Rc<RefCell<Option<Function>>> = Rc::default();
    ctx.on("a".into(), got.listener("a1")).js();
    let off_any = ctx.on("*".into(), got.listener("*")).js();
    ctx.on("a".into(), got.listener("a2")).js();
    let (log, l) = (got.0.clone(), later.clone());
    ctx.on(
        "x".into(),
        listener(move |_| {
            log.borrow_mut().push("x1".into());
            let unsubscribe = l.borrow().clone();
            if let Some(unsubscribe) = unsubscribe {
                off(&unsubscribe);
            }
        }),
    )
    .js();
    *later.borrow_mut() = Some(ctx.on("x".into(), got.listener("x2")).js());
    ctx.receive(json(r#"{"type":"a","n":1,"conversation_id":7}"#)).js();
    off(&off_any);
    ctx.receive(json(r#"{"type":"a","n":2,"conversation_id":7}"#)).js();
    let off_conversation = ctx.on_conversation("7".into(), got.listener("c")).js();
    ctx.receive(json(r#"{"type":"a","n":3,"conversation_id":7}"#)).js();
    ctx.receive(json(r#"{"type":"a","n":4}"#)).js();
    off(&off_conversation);
    ctx.receive(json(r#"{"type":"a","n":5,"conversation_id":7}"#)).js();
    ctx.receive(json(r#"[{"type":"x"},{"type":"x"},{"type":"nobody"}]"#)).js();
    assert_eq!(
        got.entries(),
        ["a1:1", "*:1", "a2:1", "a1:2", "a2:2", "a1:3", "a2:3", "c:3", "a1:4", "a2:4", "a1:5", "a2:5", "x1", "x1"]
    );
}

#[wasm_bindgen_test]
async fn every_bad_input_is_counted_and_reported_and_the_socket_stays_open() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false}"#);
    let (errors, any) = (Calls::default(), Calls::default());
    ctx.on_error(errors.listener()).js();
    ctx.on("*".into(), any.listener()).js();
    open(&ctx).await;
    emit(&ctx, r#"["not json","{\"type\":","42","null","\"text\"","{}","{\"type\":7}","[1,{\"kind\":\"x\"},{\"type\":\"ok\"}]"]"#);
    command(&ctx, r#"{"cmd":"binary"}"#);
    emit(&ctx, r#"[{"type":"after"}]"#);
    until("the message after the garbage", WAIT, || any.field("type").contains(&"after".to_string())).await;
    assert_eq!(
        errors.field("kind"),
        [
            "invalid_json", "invalid_json", "not_an_object", "not_an_object", "not_an_object",
            "missing_route_key", "missing_route_key", "not_an_object", "missing_route_key", "binary_frame",
        ]
    );
    assert_eq!(any.field("type"), ["ok", "after"]);
    assert_eq!(stat(&ctx, "malformedDropped"), 10.0);
    assert_eq!(status(&ctx), "open");
}

// ---- re-entrancy ----

#[wasm_bindgen_test]
async fn listeners_may_unsubscribe_subscribe_send_and_throw_during_a_dispatch() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false}"#);
    let (late, second, third, errors, echoes) = (Calls::default(), Calls::default(), Calls::default(), Calls::default(), Calls::default());
    let offs: Rc<RefCell<Vec<Function>>> = Rc::default();
    // 1st: unsubscribes itself and the 3rd, adds a new listener, sends, then throws.
    let (c, o, l) = (ctx.rc(), offs.clone(), late.clone());
    let first = listener(move |_| {
        let unsubscribes = o.borrow().clone();
        for unsubscribe in &unsubscribes {
            off(unsubscribe);
            off(unsubscribe); // idempotent
        }
        c.on("m".into(), l.listener()).js();
        c.send(json(r#"{"hello":"from a listener"}"#)).js();
        wasm_bindgen::throw_str("listener failure");
    });
    let off_first = ctx.on("m".into(), first).js();
    ctx.on("m".into(), second.listener()).js();
    let off_third = ctx.on("m".into(), third.listener()).js();
    offs.borrow_mut().extend([off_first, off_third]);
    ctx.on_error(errors.listener()).js();
    ctx.on("echo".into(), echoes.listener()).js();
    open(&ctx).await;
    emit(&ctx, r#"[{"type":"m","n":1}]"#);
    until("the send from inside a listener is echoed", WAIT, || echoes.len() == 1).await;
    assert_eq!(second.len(), 1, "the listener after a throwing one still runs");
    assert_eq!(third.len(), 0, "removed before its turn: not called");
    assert_eq!(late.len(), 0, "added during the dispatch: not called for it");
    assert_eq!(errors.field("kind"), ["listener_threw"]);
    assert!(errors.field("message")[0].contains("listener failure"), "{:?}", errors.field("message"));
    emit(&ctx, r#"[{"type":"m","n":2}]"#);
    until("second message", WAIT, || late.len() == 1).await;
    assert_eq!(second.len(), 2);
    assert_eq!(stat(&ctx, "listenerErrors"), 1.0);
}

#[wasm_bindgen_test]
async fn free_from_inside_a_listener_stops_every_further_call_and_closes_the_socket() {
    // With a "*" listener the core decides every message; without one the table lists them.
    for star in [true, false] {
        let room = if star { "free-star-{run}" } else { "free-{run}" };
        let ctx = context(&format!(r#"{{"url":"{{url}}/ws?room={room}","heartbeat":false}}"#));
        let slot = Rc::new(RefCell::new(Some(ctx.rc())));
        let after = Calls::default();
        let s = slot.clone();
        ctx.on(
            "m".into(),
            listener(move |_| {
                let freeing = s.borrow_mut().take();
                if let Some(c) = freeing {
                    c.free();
                }
            }),
        )
        .js();
        ctx.on("m".into(), after.listener()).js();
        if star {
            ctx.on("*".into(), after.listener()).js();
        }
        let observer = context(&format!(r#"{{"url":"{{url}}/ws?room={room}","heartbeat":false}}"#));
        open(&observer).await;
        open(&ctx).await;
        emit(&ctx, r#"[{"type":"m"},{"type":"m"}]"#);
        until("freed", WAIT, || slot.borrow().is_none()).await;
        sleep(100).await;
        assert_eq!(after.len(), 0, "no listener runs after free() (star: {star})");
        assert_every_use_throws(&ctx);
        until_open_sockets(&observer, 1.0, "the freed context's socket is closed on the server").await;
    }
}

#[wasm_bindgen_test]
fn an_error_listener_may_free_the_context_and_throw() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false}"#);
    let errors = Count::default();
    let (c, e) = (ctx.rc(), errors.clone());
    ctx.on_error(listener(move |_| {
        e.0.set(e.0.get() + 1);
        c.free();
        wasm_bindgen::throw_str("thrown after free()");
    }))
    .js();
    ctx.receive("not json".into()).js();
    assert_eq!(errors.get(), 1);
    assert_every_use_throws(&ctx);
}

// ---- listeners that throw ----

#[wasm_bindgen_test]
fn a_throwing_listener_of_any_kind_is_reported_and_the_others_still_run() {
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false}"#);
    // No browser notification for the new_message below.
    ctx.set_notification_formatter(Closure::<dyn FnMut(JsValue) -> JsValue>::new(|_| JsValue::NULL).into_js_value()).js();
    let errors = Calls::default();
    ctx.on_error(errors.listener()).js();
    let (on, any, conversation, unread, store) = (Count::default(), Count::default(), Count::default(), Count::default(), Count::default());
    ctx.on_state(throwing("boom state")).js(); // throws at once: onState calls it with the state
    ctx.on("m".into(), throwing("boom on")).js();
    ctx.on("m".into(), on.listener()).js();
    ctx.on("*".into(), throwing("boom any")).js();
    ctx.on("*".into(), any.listener()).js();
    ctx.on_conversation(7.into(), throwing("boom conversation")).js();
    ctx.on_conversation(7.into(), conversation.listener()).js();
    ctx.on_unread(throwing("boom unread")).js();
    ctx.on_unread(unread.listener()).js();
    // Not an Error: a thrown string is reported as it is.
    ctx.on_notifications(Function::new_no_args("throw 'boom store'").into()).js();
    ctx.on_notifications(store.listener()).js();
    ctx.receive(json(
        r#"[{"type":"m","conversation_id":7},{"type":"new_message","conversation_id":1},{"type":"notification","notification":{"id":1}}]"#,
    ))
    .js();
    assert_eq!((on.get(), any.get(), conversation.get(), unread.get(), store.get()), (1, 3, 1, 1, 1), "every other listener ran");
    let expected = ["boom state", "boom on", "boom any", "boom conversation", "boom any", "boom unread", "boom any", "boom store"];
    assert_eq!(errors.field("kind"), vec!["listener_threw"; expected.len()]);
    let messages = errors.field("message");
    for (got, want) in messages.iter().zip(expected) {
        assert!(got.contains(want), "reported {messages:?}, expected messages containing {expected:?}");
    }
    assert_eq!(stat(&ctx, "listenerErrors"), expected.len() as f64);
}

#[wasm_bindgen_test]
fn an_error_listener_that_throws_is_counted_and_not_reported_again() {
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false}"#);
    let errors = Calls::default();
    ctx.on_error(throwing("boom error")).js();
    ctx.on_error(errors.listener()).js();
    ctx.receive("not json".into()).js();
    assert_eq!(errors.field("kind"), ["invalid_json"], "the other error listener runs, once");
    assert_eq!(stat(&ctx, "listenerErrors"), 1.0);
    assert_eq!(stat(&ctx, "malformedDropped"), 1.0);
}

// ---- arguments ----

#[wasm_bindgen_test]
fn bad_arguments_throw_instead_of_trapping() {
    let ctx = context(r#"{"url":"{url}/ws"}"#);
    let f = || listener(|_| {});
    error_of("on(1, fn)", ctx.on(1.into(), f()));
    error_of("on(\"x\", 1)", ctx.on("x".into(), 1.into()));
    error_of("onConversation(null, fn)", ctx.on_conversation(JsValue::NULL, f()));
    error_of("onConversation(NaN, fn)", ctx.on_conversation(f64::NAN.into(), f()));
    error_of("send(undefined)", ctx.send(JsValue::UNDEFINED));
    error_of("send(3)", ctx.send(3.into()));
    let cyclic = Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    error_of("send(a cyclic object)", ctx.send(cyclic.into()));
    error_of("send(an object whose toJSON gives undefined)", ctx.send(js("{ toJSON() {} }")));
    error_of("sendMessage(null, \"x\")", ctx.send_message(JsValue::NULL, "x".into(), JsValue::UNDEFINED));
    error_of("sendMessage(1, undefined)", ctx.send_message(1.into(), JsValue::UNDEFINED, JsValue::UNDEFINED));
    assert_eq!(status(&ctx), "idle");
    assert_eq!(stat(&ctx, "queued"), 0.0, "a refused send queues nothing");
}

const CALLBACK: &str = "callback must be a function";
const NOT_JSON: &str = "send(data): the object could not be serialized as JSON";

#[wasm_bindgen_test]
fn bad_arguments_give_the_texts_of_the_js_shell() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false}"#);
    let f = || listener(|_| {});
    let cases: Vec<(&str, Result<(), JsError>, String)> = vec![
        ("on(1, fn)", ctx.on(1.into(), f()).map(drop), "on(type, callback): type must be a string".into()),
        ("on('x', 1)", ctx.on("x".into(), 1.into()).map(drop), format!("on(type, callback): {CALLBACK}")),
        ("onConversation(null, fn)", ctx.on_conversation(JsValue::NULL, f()).map(drop), "onConversation(id, callback): id must be a string or a finite number".into()),
        ("onConversation(NaN, fn)", ctx.on_conversation(f64::NAN.into(), f()).map(drop), "onConversation(id, callback): id must be a string or a finite number".into()),
        ("onConversation(Infinity, fn)", ctx.on_conversation(f64::INFINITY.into(), f()).map(drop), "onConversation(id, callback): id must be a string or a finite number".into()),
        ("onConversation(1, 1)", ctx.on_conversation(1.into(), 1.into()).map(drop), format!("onConversation(id, callback): {CALLBACK}")),
        ("onError(1)", ctx.on_error(1.into()).map(drop), format!("onError(callback): {CALLBACK}")),
        ("onState(1)", ctx.on_state(1.into()).map(drop), format!("onState(callback): {CALLBACK}")),
        ("onUnread(1)", ctx.on_unread(1.into()).map(drop), format!("onUnread(callback): {CALLBACK}")),
        ("onNotificationClick(1)", ctx.on_notification_click(1.into()).map(drop), format!("onNotificationClick(callback): {CALLBACK}")),
        ("onNotifications(1)", ctx.on_notifications(1.into()).map(drop), format!("onNotifications(callback): {CALLBACK}")),
        ("send(undefined)", ctx.send(JsValue::UNDEFINED).map(drop), "send(data): expected an object or a string".into()),
        ("send(3)", ctx.send(3.into()).map(drop), "send(data): expected an object or a string".into()),
        ("send(true)", ctx.send(true.into()).map(drop), "send(data): expected an object or a string".into()),
        ("send(a cycle)", ctx.send(js("cycle")).map(drop), NOT_JSON.into()),
        ("send(a BigInt inside)", ctx.send(js("{ n: 1n }")).map(drop), NOT_JSON.into()),
        ("send(toJSON gives undefined)", ctx.send(js("{ toJSON() {} }")).map(drop), NOT_JSON.into()),
        ("send(toJSON throws)", ctx.send(js("{ toJSON() { throw new Error('no JSON for you'); } }")).map(drop), NOT_JSON.into()),
        ("sendMessage(null, 'x')", ctx.send_message(JsValue::NULL, "x".into(), JsValue::UNDEFINED).map(drop), "sendMessage(conversationId, text): conversationId must be a string or a finite number".into()),
        ("sendMessage(1, undefined)", ctx.send_message(1.into(), JsValue::UNDEFINED, JsValue::UNDEFINED).map(drop), "sendMessage(conversationId, text): text must be a string".into()),
        ("setToken(5)", ctx.set_token(5.into()), "setToken(token): token must be a string or null".into()),
        ("setActiveConversation(true)", ctx.set_active_conversation(true.into()), "setActiveConversation(id): id must be a string, a finite number or null".into()),
        ("setNotificationFormatter(1)", ctx.set_notification_formatter(1.into()), format!("setNotificationFormatter(formatter): {CALLBACK}")),
        ("setNotifications(3)", ctx.set_notifications(3.into()), "setNotifications(list): list must be an array of notification objects".into()),
        ("setNotifications([{id: 9}, 'x'])", ctx.set_notifications(js("[{ id: 9 }, 'x']")), "setNotifications(list): list must be an array of notification objects".into()),
        ("setNotifications([null])", ctx.set_notifications(js("[null]")), "setNotifications(list): list must be an array of notification objects".into()),
    ];
    let mut wrong = Vec::new();
    for (what, result, expected) in cases {
        let got = error_of(what, result);
        if got != expected {
            wrong.push(format!("{what}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert_eq!(stat(&ctx, "queued"), 0.0, "a refused send queues nothing");

    let full = context(r#"{"url":"{url}/ws","heartbeat":false,"queue":{"maxMessages":0}}"#);
    assert_eq!(
        error_of("send to a full queue", full.send("x".into())),
        "send: the queue is full (queue.maxMessages = 0); the message was not sent"
    );
}

#[wasm_bindgen_test]
fn a_to_json_that_throws_refuses_the_send_and_the_next_send_goes_out() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false}"#);
    assert_eq!(error_of("send(toJSON throws)", ctx.send(js("{ toJSON() { throw new Error('no JSON for you'); } }"))), NOT_JSON);
    assert_eq!(stat(&ctx, "queued"), 0.0);
    // toJSON is honoured when it works.
    assert!(!ctx.send(js("{ toJSON() { return { n: 1 }; } }")).js(), "queued while idle");
    assert_eq!(stat(&ctx, "queued"), 1.0);
}

#[wasm_bindgen_test]
fn the_js_class_has_the_readme_api_and_every_member_throws_after_free() {
    let ctx = RealtimeContext::new(json(r#"{"url":"{url}/ws","heartbeat":false}"#)).js();
    let object = JsValue::from(ctx);
    assert_eq!(missing_members(&object), Vec::<String>::new(), "members of the README's API table missing from the JS class");
    assert_eq!(js_uses_after_free(&object, USED_AFTER_FREE), Vec::<String>::new(), "after free() from JS, these did not throw {USED_AFTER_FREE:?}");
}
