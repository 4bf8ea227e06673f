//! The in-app notification store: live notifications merged with fetched lists by `id`
//! (the README's "In-app store" and the cases of tests/inbox.test.mjs, which tested js/inbox.js).

use js_sys::{Array, Object};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::support::*;

/// Each stored notification as `"id:text"` and its `read` flag, newest first. Checks that
/// every id is a number or a string and every `read` a boolean.
fn ids(ctx: &Ctx) -> Vec<(String, bool)> {
    Array::from(&ctx.notifications().js())
        .iter()
        .map(|n| {
            let id = field(&n, "id");
            let id = id.as_f64().map(|f| f.to_string()).or_else(|| id.as_string()).unwrap_or_else(|| panic!("id {id:?}"));
            let read = field(&n, "read").as_bool().unwrap_or_else(|| panic!("read is a boolean: {n:?}"));
            (format!("{id}:{}", text(&n, "text")), read)
        })
        .collect()
}

fn entries(list: &[(&str, bool)]) -> Vec<(String, bool)> {
    list.iter().map(|(s, r)| (s.to_string(), *r)).collect()
}

/// Routes in-app notifications `{type: "notification", notification}` for each JSON object.
fn live(ctx: &Ctx, notifications: &[&str]) {
    for n in notifications {
        ctx.receive(json(&format!(r#"{{"type":"notification","notification":{n}}}"#))).js();
    }
}

const OFFLINE: &str = r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false}"#;

#[wasm_bindgen_test]
async fn the_in_app_store_merges_live_and_fetched_notifications() {
    let ctx = context(r#"{"url":"{url}/ws","heartbeat":false,"maxNotifications":4}"#);
    let updates = Count::default();
    ctx.on_notifications(updates.listener()).js();
    deliver(
        &ctx,
        r#"[[{"type":"notification","notification":{"id":5,"text":"live 5"}},
             {"type":"notification","notification":{"id":6,"text":"live 6"}},
             {"type":"notification","notification":{"id":2,"text":"live 2"}}]]"#,
        3,
    )
    .await;
    assert_eq!(ids(&ctx), entries(&[("2:live 2", false), ("6:live 6", false), ("5:live 5", false)]));
    assert_eq!(ctx.notifications().js(), ctx.notifications().js(), "the same snapshot until a change");
    ctx.set_notifications(json(r#"[{"id":"2","text":"fetched 2","read":true},{"id":1,"text":"fetched 1"},{"id":0,"text":"fetched 0"}]"#)).js();
    assert_eq!(
        ids(&ctx),
        entries(&[("6:live 6", false), ("5:live 5", false), ("2:fetched 2", true), ("1:fetched 1", false)]),
        "live ones missing from the fetch first; the fetched copy wins; at most maxNotifications"
    );
    assert_eq!(ctx.unread_notifications().js(), 3);
    ctx.mark_notification_read(6.into()).js();
    ctx.remove_notification("5".into()).js();
    assert_eq!(ids(&ctx)[..2], entries(&[("6:live 6", true), ("2:fetched 2", true)]));
    ctx.mark_all_notifications_read().js();
    assert_eq!(ctx.unread_notifications().js(), 0);
    error_of("setNotifications(3)", ctx.set_notifications(3.into()));
    error_of("setNotifications with a non-object entry", ctx.set_notifications(js("[{ id: 9 }, 'x']")));
    assert_eq!(ctx.unread_notifications().js(), 0, "a refused list changes nothing");
    assert_eq!(updates.get(), 3 + 1 + 2 + 1);
}

// ---- beyond the in-page suite: the merge rules ----

#[wasm_bindgen_test]
fn live_items_go_first_and_the_oldest_beyond_max_are_dropped() {
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false,"maxNotifications":3}"#);
    live(&ctx, &[r#"{"id":1,"text":"live"}"#, r#"{"id":2,"text":"live"}"#, r#"{"id":3,"text":"live"}"#, r#"{"id":4,"text":"live"}"#]);
    assert_eq!(ids(&ctx), entries(&[("4:live", false), ("3:live", false), ("2:live", false)]));
}

#[wasm_bindgen_test]
fn the_same_id_is_never_stored_twice_and_a_live_repeat_updates_in_place() {
    let ctx = context(OFFLINE);
    live(&ctx, &[r#"{"id":1,"text":"first"}"#]);
    ctx.mark_notification_read(1.into()).js();
    live(&ctx, &[r#"{"id":2,"text":"other"}"#, r#"{"id":"1","text":"again"}"#]);
    assert_eq!(
        ids(&ctx),
        entries(&[("2:other", false), ("1:again", true)]),
        "123 and \"123\" are one id; the repeat keeps its place and its read flag"
    );
    ctx.set_notifications(json(r#"[{"id":3,"text":"a"},{"id":3,"text":"dup"},{"id":"3","text":"dup as text"}]"#)).js();
    let threes = ids(&ctx).into_iter().filter(|(s, _)| s.starts_with("3:")).count();
    assert_eq!(threes, 1, "a fetched list with repeats stores its id once");
}

#[wasm_bindgen_test]
fn a_fetch_racing_live_messages_stays_consistent() {
    let ctx = context(OFFLINE);
    ctx.set_notifications(json(r#"[{"id":1,"text":"old-fetch"},{"id":9,"text":"deleted-on-server"}]"#)).js();
    live(&ctx, &[r#"{"id":5,"text":"live-5"}"#, r#"{"id":6,"text":"live-6"}"#, r#"{"id":2,"text":"live-2"}"#]);
    // The fetch knows 2 (read, its copy wins) and 1, not 5, 6 or 9.
    ctx.set_notifications(json(r#"[{"id":2,"text":"fetched-2","read":true},{"id":1,"text":"fetched-1"}]"#)).js();
    assert_eq!(
        ids(&ctx),
        entries(&[("6:live-6", false), ("5:live-5", false), ("2:fetched-2", true), ("1:fetched-1", false)]),
        "live items missing from the list kept ahead of it, newest first; the earlier fetch's 9 is gone"
    );
    assert_eq!(ctx.unread_notifications().js(), 3);
}

#[wasm_bindgen_test]
fn a_fetched_is_read_flag_counts_as_read() {
    let ctx = context(OFFLINE);
    ctx.set_notifications(json(r#"[{"id":1,"text":"a","is_read":true},{"id":2,"text":"b","is_read":false},{"id":3,"text":"c","read":false}]"#)).js();
    assert_eq!(ids(&ctx), entries(&[("1:a", true), ("2:b", false), ("3:c", false)]));
    assert_eq!(ctx.unread_notifications().js(), 2);
}

#[wasm_bindgen_test]
fn read_flags_and_removal_signal_only_real_changes() {
    let ctx = context(OFFLINE);
    live(&ctx, &[r#"{"id":1,"text":"a"}"#, r#"{"id":2,"text":"b"}"#]);
    let updates = Calls::default();
    ctx.on_notifications(updates.listener()).js();
    ctx.mark_notification_read(1.into()).js();
    ctx.mark_notification_read(1.into()).js(); // already read
    ctx.mark_notification_read(7.into()).js(); // unknown
    assert_eq!(updates.len(), 1);
    assert_eq!(ctx.unread_notifications().js(), 1);
    ctx.mark_all_notifications_read().js();
    ctx.mark_all_notifications_read().js(); // none unread
    assert_eq!(updates.len(), 2);
    assert_eq!(ctx.unread_notifications().js(), 0);
    ctx.remove_notification(2.into()).js();
    ctx.remove_notification(2.into()).js(); // gone already
    assert_eq!(updates.len(), 3);
    assert_eq!(ids(&ctx), entries(&[("1:a", true)]));
    // onNotifications gets the list itself, the same array notifications() returns.
    assert_eq!(updates.last(), ctx.notifications().js());
}

#[wasm_bindgen_test]
fn the_list_is_frozen_and_keeps_the_servers_fields() {
    let ctx = context(OFFLINE);
    live(&ctx, &[r#"{"id":1,"text":"a","actor":{"name":"Ann"},"created_at":"2026-01-01"}"#]);
    let list = ctx.notifications().js();
    assert!(Object::is_frozen(list.unchecked_ref::<Object>()), "the array is frozen");
    let first = Array::from(&list).get(0);
    assert_eq!(stringify(&field(&first, "actor")), r#"{"name":"Ann"}"#);
    assert_eq!(text(&first, "created_at"), "2026-01-01");
    assert_eq!(field(&first, "read").as_bool(), Some(false));
    live(&ctx, &[r#"{"id":2,"text":"b"}"#]);
    assert_ne!(ctx.notifications().js(), list, "a change makes a new array");
}

#[wasm_bindgen_test]
fn a_live_notification_that_is_already_read_is_stored_read() {
    let ctx = context(OFFLINE);
    live(&ctx, &[r#"{"id":1,"text":"a","read":true}"#, r#"{"id":2,"text":"b","is_read":true}"#, r#"{"id":3,"text":"c"}"#]);
    assert_eq!(ids(&ctx), entries(&[("3:c", false), ("2:b", true), ("1:a", true)]));
    assert_eq!(ctx.unread_notifications().js(), 1);
}

#[wasm_bindgen_test]
fn notification_type_and_key_options_pick_the_messages_and_the_object() {
    let ctx = context(r#"{"url":"ws://127.0.0.1:9/x","heartbeat":false,"notificationType":"alert","notificationKey":"payload"}"#);
    ctx.receive(json(
        r#"[{"type":"alert","payload":{"id":1,"text":"in payload"}},
            {"type":"notification","notification":{"id":2,"text":"not this type"}},
            {"type":"alert","id":3,"text":"no payload: the message itself"}]"#,
    ))
    .js();
    assert_eq!(ids(&ctx), entries(&[("3:no payload: the message itself", false), ("1:in payload", false)]));
}

#[wasm_bindgen_test]
fn notifications_without_an_id_are_each_kept() {
    let ctx = context(OFFLINE);
    live(&ctx, &[r#"{"text":"first"}"#, r#"{"text":"second"}"#]);
    let texts: Vec<String> = Array::from(&ctx.notifications().js()).iter().map(|n| text(&n, "text")).collect();
    assert_eq!(texts, ["second", "first"]);
    assert_eq!(ctx.unread_notifications().js(), 2);
}
