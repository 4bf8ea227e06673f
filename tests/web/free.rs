//! `free()` from inside each kind of callback: nothing at all is called after it, every later
//! use throws, and a socket it had is closed.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use realtime_context::RealtimeContext;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use crate::support::*;

/// What routing after the free would reach: a message of each kind, a store entry, bad input.
const AFTER: &str = r#"{"type":"m","conversation_id":7},{"type":"m","conversation_id":7},{"type":"new_message","conversation_id":1},{"type":"notification","notification":{"id":1}},"not json""#;

/// One context watched for calls after a free made inside one of its callbacks.
struct Watch {
    ctx: Ctx,
    freed: Rc<Cell<bool>>,
    /// Calls of any callback made after the free.
    after: Rc<Cell<u32>>,
    /// Notifications shown, so that clicks on them can be tried after the free.
    shown: Array,
}

impl Watch {
    fn new(options: &str) -> Watch {
        assert_eq!(permission(), "granted", "webdriver.json grants the notification permission");
        Watch { ctx: context(options), freed: Rc::default(), after: Rc::default(), shown: record_notifications() }
    }

    /// A callback that frees the context (the first time) and returns a notification's content,
    /// so that it serves as a listener and as a formatter alike.
    fn freeing(&self) -> JsValue {
        let (ctx, freed) = (self.ctx.rc(), self.freed.clone());
        Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |_| {
            if !freed.get() {
                freed.set(true);
                ctx.free();
            }
            let content = Object::new();
            Reflect::set(&content, &"title".into(), &"shown after free()".into()).unwrap();
            content.into()
        })
        .into_js_value()
    }

    fn recorder(&self) -> JsValue {
        let (freed, after) = (self.freed.clone(), self.after.clone());
        listener(move |_| {
            if freed.get() {
                after.set(after.get() + 1);
            }
        })
    }

    /// Subscribes a recorder of every kind, after the freeing callback.
    fn watch_everything(&self) {
        let ctx: &RealtimeContext = &self.ctx;
        ctx.on("m".into(), self.recorder()).js();
        ctx.on("new_message".into(), self.recorder()).js();
        ctx.on("*".into(), self.recorder()).js();
        ctx.on_conversation(7.into(), self.recorder()).js();
        ctx.on_conversation(1.into(), self.recorder()).js();
        ctx.on_state(self.recorder()).js();
        ctx.on_error(self.recorder()).js();
        ctx.on_unread(self.recorder()).js();
        ctx.on_notifications(self.recorder()).js();
        ctx.on_notification_click(self.recorder()).js();
    }

    /// Routes `first`, then the messages of [`AFTER`], in one batch.
    fn receive(&self, first: &str) {
        // The batch is being routed when the free happens: whether receive() then reports
        // anything is not specified, only that nothing more is called.
        let _ = self.ctx.receive(format!("[{first},{AFTER}]").into());
    }

    /// Clicks every notification shown so far, then checks what a free must leave behind.
    fn check(&self, kind: &str) {
        assert!(self.freed.get(), "{kind}: the freeing callback was called");
        for entry in shown(&self.shown) {
            click(&entry);
        }
        assert_eq!(self.after.get(), 0, "{kind}: callbacks called after free()");
        assert_every_use_throws(&self.ctx);
        restore_notification_api();
    }
}

const OFFLINE: &str = r#"{"url":"{url}/ws","heartbeat":false}"#;

#[wasm_bindgen_test]
fn free_inside_on_stops_every_later_call() {
    let w = Watch::new(OFFLINE);
    w.ctx.on("m".into(), w.freeing()).js();
    w.watch_everything();
    w.receive(r#"{"type":"m","conversation_id":7}"#);
    w.check("on");
}

#[wasm_bindgen_test]
fn free_inside_star_stops_every_later_call() {
    let w = Watch::new(OFFLINE);
    w.ctx.on("*".into(), w.freeing()).js();
    w.watch_everything();
    w.receive(r#"{"type":"m","conversation_id":7}"#);
    w.check("\"*\"");
}

#[wasm_bindgen_test]
fn free_inside_on_conversation_stops_every_later_call() {
    let w = Watch::new(OFFLINE);
    w.ctx.on_conversation(7.into(), w.freeing()).js();
    w.watch_everything();
    w.receive(r#"{"type":"m","conversation_id":7}"#);
    w.check("onConversation");
}

#[wasm_bindgen_test]
fn free_inside_on_error_stops_every_later_call() {
    let w = Watch::new(OFFLINE);
    w.ctx.on_error(w.freeing()).js();
    w.watch_everything();
    w.receive("1");
    w.check("onError");
}

#[wasm_bindgen_test]
fn free_inside_on_unread_stops_every_later_call() {
    let w = Watch::new(OFFLINE);
    w.ctx.on_unread(w.freeing()).js();
    w.watch_everything();
    w.receive(r#"{"type":"new_message","conversation_id":1}"#);
    w.check("onUnread");
}

#[wasm_bindgen_test]
fn free_inside_on_notifications_stops_every_later_call() {
    let w = Watch::new(OFFLINE);
    w.ctx.on_notifications(w.freeing()).js();
    w.watch_everything();
    w.receive(r#"{"type":"notification","notification":{"id":9}}"#);
    w.check("onNotifications");
}

#[wasm_bindgen_test]
fn free_inside_a_notification_formatter_stops_every_later_call() {
    let w = Watch::new(OFFLINE);
    w.ctx.set_notification_formatter(w.freeing()).js();
    w.watch_everything();
    w.receive(r#"{"type":"new_message","conversation_id":1}"#);
    assert_eq!(shown(&w.shown).len(), 0, "the answer of a formatter that freed the context shows nothing");
    w.check("the formatter");
}

#[wasm_bindgen_test]
fn free_inside_on_notification_click_stops_every_later_call() {
    let w = Watch::new(OFFLINE);
    w.ctx.on_notification_click(w.freeing()).js();
    w.watch_everything();
    w.ctx.receive(json(r#"[{"type":"new_message","conversation_id":1,"message":"one"},{"type":"new_message","conversation_id":3,"message":"three"}]"#)).js();
    let shown = shown(&w.shown);
    assert_eq!(shown.len(), 2, "a notification per conversation");
    click(&shown[0]);
    w.check("onNotificationClick");
}

#[wasm_bindgen_test]
async fn free_inside_on_state_stops_every_later_call_and_leaves_no_socket() {
    let room = r#"{"url":"{url}/ws?room=free-state-{run}","heartbeat":false}"#;
    let observer = context(room);
    open(&observer).await;
    let w = Watch::new(room);
    let (ctx, freed) = (w.ctx.rc(), w.freed.clone());
    // Called at once with "idle"; frees at the first change (connect()).
    w.ctx
        .on_state(listener(move |state| {
            if text(&state, "status") != "idle" && !freed.get() {
                freed.set(true);
                ctx.free();
            }
        }))
        .js();
    w.watch_everything();
    let _ = w.ctx.connect();
    w.check("onState");
    sleep(100).await;
    until_open_sockets(&observer, 1.0, "a context freed while connecting leaves no socket open").await;
    assert_eq!(w.after.get(), 0, "onState: callbacks called after free()");
}
