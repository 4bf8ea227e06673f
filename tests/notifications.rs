//! Unread counts, the in-app store and real browser notifications, in a real browser against
//! the real local test server. webdriver.json grants the notification permission, so the
//! browser constructs real `Notification` objects; a recording subclass lets the test see them.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Reflect, JSON};
use realtime_context::RealtimeContext;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SERVER: &str = match option_env!("REALTIME_TEST_WS") {
    Some(url) => url,
    None => "ws://127.0.0.1:9",
};

#[wasm_bindgen(inline_js = r#"
const real = globalThis.Notification;
export function permission() { return real ? real.permission : 'missing'; }
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
export function clickLast(shown) { shown[shown.length - 1].notification.onclick(); }
"#)]
extern "C" {
    fn permission() -> String;
    #[wasm_bindgen(js_name = recordNotifications)]
    fn record_notifications() -> Array;
    #[wasm_bindgen(js_name = removeNotificationApi)]
    fn remove_notification_api();
    #[wasm_bindgen(js_name = restoreNotificationApi)]
    fn restore_notification_api();
    #[wasm_bindgen(js_name = clickLast)]
    fn click_last(shown: &Array);
}

fn context(json: &str) -> RealtimeContext {
    RealtimeContext::new(JSON::parse(&json.replace("{url}", SERVER)).unwrap()).unwrap()
}

fn field(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap()
}

fn text(obj: &JsValue, key: &str) -> String {
    field(obj, key).as_string().unwrap_or_default()
}

async fn until(what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..300 {
        if cond() {
            return;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("timed out waiting for: {what}");
}

/// Connects and makes the server send `frames`; waits until `expect` messages were routed.
async fn deliver(ctx: &RealtimeContext, frames: &str, expect: usize) {
    let seen = Rc::new(RefCell::new(0));
    let s = seen.clone();
    let off = ctx.on("*".into(), Closure::<dyn FnMut(JsValue)>::new(move |_| *s.borrow_mut() += 1).into_js_value()).unwrap();
    ctx.connect();
    until("open", || text(&ctx.state(), "status") == "open").await;
    ctx.send(JSON::parse(&format!(r#"{{"cmd":"emit","frames":{frames}}}"#)).unwrap()).unwrap();
    until("messages routed", || *seen.borrow() >= expect).await;
    off.call0(&JsValue::NULL).unwrap();
}

const CHAT: &str = r#"[[
  {"type":"new_message","conversation_id":1,"sender_name":"Ann","message":"<b>hi</b> from 1"},
  {"type":"new_message","conversation_id":"1","sender_name":"Ann","message":"again"},
  {"type":"new_message","conversation_id":2,"sender_name":"Bob","message":"from 2"},
  {"type":"typing","conversation_id":2}
]]"#;

#[wasm_bindgen_test]
async fn unread_counts_follow_the_active_conversation() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"notify":{"types":["new_message"]}}"#);
    let changes = Rc::new(RefCell::new(Vec::new()));
    let c = changes.clone();
    ctx.on_unread(Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        c.borrow_mut().push((field(&e, "conversationId"), field(&e, "count").as_f64().unwrap(), field(&e, "total").as_f64().unwrap()));
    }).into_js_value())
    .unwrap();
    ctx.set_active_conversation(JsValue::from(2)).unwrap();
    deliver(&ctx, CHAT, 4).await;
    assert_eq!((ctx.unread_count(JsValue::from(1)), ctx.unread_count("1".into())), (2, 2));
    assert_eq!(ctx.unread_count(JsValue::from(2)), 0, "the active conversation on a visible page stays read");
    assert_eq!(ctx.total_unread(), 2.0);
    assert_eq!(changes.borrow().len(), 2);
    assert_eq!(changes.borrow()[1].0, JsValue::from(1), "the id comes back as the server first sent it");
    assert_eq!(changes.borrow()[1].1, 2.0);
    ctx.set_active_conversation("1".into()).unwrap();
    assert_eq!((ctx.unread_count(JsValue::from(1)), ctx.total_unread()), (0, 0.0));
    assert_eq!(ctx.active_conversation(), JsValue::from_str("1"));
    assert_eq!(changes.borrow().last().unwrap().1, 0.0);
    ctx.set_active_conversation(JsValue::NULL).unwrap();
    assert!(ctx.active_conversation().is_null());
    assert!(ctx.set_active_conversation(JsValue::from(true)).is_err());
}

#[wasm_bindgen_test]
async fn real_notifications_are_tagged_per_conversation_and_close_on_activate() {
    assert_eq!(permission(), "granted", "webdriver.json grants the notification permission");
    let shown = record_notifications();
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false}"#);
    let clicks = Rc::new(RefCell::new(Vec::new()));
    let k = clicks.clone();
    ctx.on_notification_click(Closure::<dyn FnMut(JsValue)>::new(move |m: JsValue| k.borrow_mut().push(m)).into_js_value()).unwrap();
    ctx.set_active_conversation(JsValue::from(2)).unwrap();
    deliver(&ctx, CHAT, 4).await;
    let entries: Vec<JsValue> = shown.iter().collect();
    assert_eq!(entries.len(), 2, "two for conversation 1, none for the active 2, none for typing");
    assert_eq!(text(&entries[0], "title"), "Ann");
    assert_eq!(text(&entries[0], "body"), "<b>hi</b> from 1", "text, never HTML");
    assert_eq!(text(&entries[0], "tag"), "conversation-1");
    assert_eq!(text(&entries[1], "tag"), "conversation-1", "a burst replaces rather than stacks");
    click_last(&shown);
    assert_eq!(clicks.borrow().len(), 1);
    assert_eq!(text(&clicks.borrow()[0], "message"), "again");
    ctx.set_active_conversation(JsValue::from(1)).unwrap();
    deliver(&ctx, r#"[{"type":"new_message","conversation_id":3,"message":"from 3"}]"#, 1).await;
    ctx.set_active_conversation(JsValue::from(1)).unwrap();
    let last = shown.get(2);
    assert!(!field(&last, "closed").as_bool().unwrap(), "conversation 3's notification stays open");
    ctx.set_active_conversation(JsValue::from(3)).unwrap();
    assert!(field(&last, "closed").as_bool().unwrap(), "activating 3 closes its notification");
    restore_notification_api();
}

#[wasm_bindgen_test]
async fn a_formatter_shapes_or_suppresses_notifications() {
    let shown = record_notifications();
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false}"#);
    ctx.set_notification_formatter(
        Closure::<dyn FnMut(JsValue) -> JsValue>::new(|m: JsValue| match text(&m, "message").as_str() {
            "again" => JsValue::NULL,
            body => JSON::parse(&format!(r#"{{"title":"Chat","body":"{body}","tag":"all"}}"#)).unwrap(),
        })
        .into_js_value(),
    )
    .unwrap();
    deliver(&ctx, CHAT, 4).await;
    let titles: Vec<(String, String)> = shown.iter().map(|e| (text(&e, "title"), text(&e, "tag"))).collect();
    assert_eq!(titles, [("Chat".into(), "all".into()), ("Chat".into(), "all".into())]);
    assert!(ctx.set_notification_formatter(JsValue::from(1)).is_err());
    restore_notification_api();
}

#[wasm_bindgen_test]
async fn without_the_notification_api_unread_counts_still_work_and_nothing_throws() {
    remove_notification_api();
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false}"#);
    let errors = Rc::new(RefCell::new(0));
    let e = errors.clone();
    ctx.on_error(Closure::<dyn FnMut(JsValue)>::new(move |_| *e.borrow_mut() += 1).into_js_value()).unwrap();
    let permission = wasm_bindgen_futures::JsFuture::from(ctx.request_notification_permission()).await.unwrap();
    assert_eq!(permission, "unsupported");
    deliver(&ctx, CHAT, 4).await;
    assert_eq!((ctx.unread_count(JsValue::from(1)), ctx.unread_count(JsValue::from(2))), (2, 1));
    assert_eq!(*errors.borrow(), 0);
    restore_notification_api();
}

#[wasm_bindgen_test]
async fn the_in_app_store_merges_live_and_fetched_notifications() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"maxNotifications":4}"#);
    let updates = Rc::new(RefCell::new(0));
    let u = updates.clone();
    ctx.on_notifications(Closure::<dyn FnMut(JsValue)>::new(move |_| *u.borrow_mut() += 1).into_js_value()).unwrap();
    deliver(
        &ctx,
        r#"[[{"type":"notification","notification":{"id":5,"text":"live 5"}},
             {"type":"notification","notification":{"id":6,"text":"live 6"}},
             {"type":"notification","notification":{"id":2,"text":"live 2"}}]]"#,
        3,
    )
    .await;
    let ids = |ctx: &RealtimeContext| -> Vec<(String, bool)> {
        Array::from(&ctx.notifications())
            .iter()
            .map(|n| {
                let id = field(&n, "id");
                let id = id.as_f64().map(|f| f.to_string()).or_else(|| id.as_string()).unwrap();
                (format!("{id}:{}", text(&n, "text")), field(&n, "read").as_bool().unwrap())
            })
            .collect()
    };
    assert_eq!(ids(&ctx), [("2:live 2".into(), false), ("6:live 6".into(), false), ("5:live 5".into(), false)]);
    assert_eq!(ctx.notifications(), ctx.notifications(), "the same snapshot until a change");
    let fetched = JSON::parse(r#"[{"id":"2","text":"fetched 2","read":true},{"id":1,"text":"fetched 1"},{"id":0,"text":"fetched 0"}]"#).unwrap();
    ctx.set_notifications(fetched).unwrap();
    assert_eq!(
        ids(&ctx),
        [("6:live 6".into(), false), ("5:live 5".into(), false), ("2:fetched 2".into(), true), ("1:fetched 1".into(), false)],
        "live ones missing from the fetch first; the fetched copy wins; at most maxNotifications"
    );
    assert_eq!(ctx.unread_notifications(), 3);
    ctx.mark_notification_read(JsValue::from(6));
    ctx.remove_notification("5".into());
    assert_eq!(ids(&ctx)[..2], [("6:live 6".into(), true), ("2:fetched 2".into(), true)]);
    ctx.mark_all_notifications_read();
    assert_eq!(ctx.unread_notifications(), 0);
    assert!(ctx.set_notifications(JsValue::from(3)).is_err());
    assert_eq!(*updates.borrow(), 3 + 1 + 2 + 1);
}
