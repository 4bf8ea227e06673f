use crate::prelude::test::*;
use super::*;
use Value::{Bool, Null, Number, Object, Text};

fn obj(entries: &[(&str, Value)]) -> Value {
    Object(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

fn with_url(entries: &[(&str, Value)]) -> Value {
    let mut all = vec![("url", Text("/ws/realtime/".into()))];
    all.extend_from_slice(entries);
    obj(&all)
}

fn error_of(v: Value) -> String {
    parse(&v).unwrap_err().message()
}

#[test]
fn defaults_match_the_documented_table() {
    let o = parse(&with_url(&[])).unwrap();
    assert_eq!(o.url, "/ws/realtime/");
    assert_eq!((o.token, o.token_param.as_str()), (None, "token"));
    assert_eq!((o.route_key.as_str(), o.conversation_key.as_str()), ("type", "conversation_id"));
    assert_eq!(o.pong_type.as_deref(), Some("pong"));
    assert_eq!(o.ping, None);
    assert_eq!(o.settings, Settings::default());
    assert_eq!(o.settings.reconnect.unwrap(), Policy::default());
    let notify = o.notify.unwrap();
    assert_eq!((notify.types, notify.title_key.as_str(), notify.body_key.as_str(), notify.icon), (vec!["new_message".to_owned()], "sender_name", "message", None));
    assert_eq!((notify.sender_key.as_str(), o.user_id), ("sender_id", None));
    assert_eq!((o.notification_types, o.notification_key.as_str(), o.max_notifications), (vec!["notification".to_owned()], "notification", 200));
    let frame = MessageFrame { conversation_key: "conversation_id".into(), text_key: "message".into(), type_key: "type".into(), kind: "TEXT".into() };
    assert_eq!(o.message_frame, frame);
}

#[test]
fn user_id_is_kept_in_its_canonical_text_form() {
    let user_id = |v: Value| parse(&with_url(&[("userId", v)])).unwrap().user_id;
    assert_eq!(user_id(Number(2.0)), Some("2".into()));
    assert_eq!(user_id(Number(-7.0)), Some("-7".into()));
    assert_eq!(user_id(Text("2".into())), Some("2".into()));
    assert_eq!(user_id(Text("user_9".into())), Some("user_9".into()));
    assert_eq!(user_id(Null), None);
    let o = parse(&with_url(&[("notify", obj(&[("senderKey", Text("from_user.id".into()))]))])).unwrap();
    assert_eq!(o.notify.unwrap().sender_key, "from_user.id");
}

#[test]
fn notify_options_merge_with_defaults_and_false_disables() {
    let o = parse(&with_url(&[
        ("notify", obj(&[("types", Value::Array(vec![Text("TEXT".into()), Text("new_message".into())])), ("icon", Text("/i.png".into()))])),
        ("maxNotifications", Number(5.0)),
    ]))
    .unwrap();
    let notify = o.notify.unwrap();
    assert_eq!(notify.types, ["TEXT", "new_message"]);
    assert_eq!((notify.title_key.as_str(), notify.icon.as_deref()), ("sender_name", Some("/i.png")));
    assert_eq!(o.max_notifications, 5);
    assert_eq!(parse(&with_url(&[("notify", Bool(false))])).unwrap().notify, None);
}

#[test]
fn nested_options_given_in_part_keep_their_other_defaults() {
    let o = parse(&with_url(&[
        ("heartbeat", obj(&[("intervalMs", Number(5000.0))])),
        ("reconnect", obj(&[("maxAttempts", Number(3.0))])),
    ]))
    .unwrap();
    assert_eq!(o.settings.heartbeat, Some(Heartbeat { interval: 5000, timeout: 10_000 }));
    assert_eq!(o.pong_type.as_deref(), Some("pong"));
    let r = o.settings.reconnect.unwrap();
    assert_eq!((r.max_attempts, r.jitter, r.schedule), (3, 1.0, Policy::default().schedule));
}

#[test]
fn false_disables_reconnect_and_heartbeat() {
    let o = parse(&with_url(&[("reconnect", Bool(false)), ("heartbeat", Bool(false))])).unwrap();
    assert_eq!((o.settings.reconnect, o.settings.heartbeat, o.pong_type), (None, None, None));
}

#[test]
fn fixed_delay_schedule_and_infinite_attempts() {
    let delays = Value::Array(vec![Number(500.0), Number(2000.0), Number(5000.0)]);
    let o = parse(&with_url(&[(
        "reconnect",
        obj(&[("delaysMs", delays), ("maxAttempts", Number(f64::INFINITY))]),
    )]))
    .unwrap();
    let r = o.settings.reconnect.unwrap();
    assert_eq!(r.schedule, Schedule::Fixed(vec![500.0, 2000.0, 5000.0]));
    assert_eq!((r.jitter, r.max_attempts), (0.0, u32::MAX));
}

#[test]
fn custom_keys_token_ping_and_queue() {
    let o = parse(&with_url(&[
        ("token", Text("s3cret".into())),
        ("tokenParam", Text("access_token".into())),
        ("routeKey", Text("event_type".into())),
        ("heartbeat", obj(&[("ping", obj(&[("op", Text("hb".into()))])), ("pongType", Text("hb_ack".into()))])),
        ("queue", obj(&[("maxMessages", Number(0.0))])),
        ("connectTimeoutMs", Number(250.0)),
    ]))
    .unwrap();
    assert_eq!((o.token.as_deref(), o.token_param.as_str()), (Some("s3cret"), "access_token"));
    assert_eq!(o.route_key, "event_type");
    assert_eq!(o.ping, Some(obj(&[("op", Text("hb".into()))])));
    assert_eq!(o.pong_type.as_deref(), Some("hb_ack"));
    assert_eq!((o.settings.queue_max, o.settings.connect_timeout), (0, 250));
}

#[test]
fn every_bad_option_names_its_key_and_what_it_expects() {
    let cases: Vec<(Value, &str)> = vec![
        (Null, "\"options\""),
        (obj(&[]), "\"url\": expected".trim_end_matches(" expected")),
        (obj(&[("url", Number(1.0))]), "\"url\""),
        (with_url(&[("urll", Text("x".into()))]), "\"urll\": no such option"),
        (with_url(&[("token", Number(5.0))]), "\"token\": a string or null"),
        (with_url(&[("routeKey", Text("".into()))]), "\"routeKey\": a non-empty string"),
        (with_url(&[("connectTimeoutMs", Number(-1.0))]), "\"connectTimeoutMs\""),
        (with_url(&[("connectTimeoutMs", Text("5000".into()))]), "\"connectTimeoutMs\""),
        (with_url(&[("heartbeat", Number(1.0))]), "\"heartbeat\": an object, true or false"),
        (with_url(&[("heartbeat", obj(&[("intervalMs", Number(0.5))]))]), "\"heartbeat.intervalMs\""),
        (with_url(&[("heartbeat", obj(&[("timeout", Number(5.0))]))]), "\"heartbeat.timeout\": no such option"),
        (with_url(&[("heartbeat", obj(&[("ping", Number(5.0))]))]), "\"heartbeat.ping\": an object or a string"),
        (with_url(&[("reconnect", obj(&[("jitter", Number(2.0))]))]), "\"reconnect.jitter\": a number from 0 to 1"),
        (with_url(&[("reconnect", obj(&[("maxAttempts", Number(0.0))]))]), "\"reconnect.maxAttempts\""),
        (with_url(&[("reconnect", obj(&[("multiplier", Number(0.5))]))]), "\"reconnect.multiplier\""),
        (with_url(&[("reconnect", obj(&[("initialDelayMs", Number(5000.0)), ("maxDelayMs", Number(10.0))]))]), "\"reconnect.maxDelayMs\""),
        (with_url(&[("reconnect", obj(&[("delaysMs", Value::Array(vec![]))]))]), "\"reconnect.delaysMs\""),
        (with_url(&[("reconnect", obj(&[("delaysMs", Value::Array(vec![Text("1".into())]))]))]), "\"reconnect.delaysMs\""),
        (with_url(&[("reconnect", obj(&[("delaysMs", Value::Array(vec![Number(1.0)])), ("multiplier", Number(2.0))]))]), "\"reconnect.multiplier\": not to be given together"),
        (with_url(&[("queue", obj(&[("maxMessages", Number(-3.0))]))]), "\"queue.maxMessages\""),
        (with_url(&[("queue", Bool(true))]), "\"queue\""),
        (with_url(&[("notify", obj(&[("types", Text("new_message".into()))]))]), "\"notify.types\": an array"),
        (with_url(&[("notify", obj(&[("types", Value::Array(vec![Number(1.0)]))]))]), "\"notify.types\""),
        (with_url(&[("notify", obj(&[("icon", Number(1.0))]))]), "\"notify.icon\""),
        (with_url(&[("notify", obj(&[("title", Text("x".into()))]))]), "\"notify.title\": no such option"),
        (with_url(&[("maxNotifications", Number(0.0))]), "\"maxNotifications\""),
        (with_url(&[("notificationType", Null)]), "\"notificationType\""),
        (with_url(&[("idKey", Text("".into()))]), "\"idKey\": a non-empty string or null"),
        (with_url(&[("dedupWindow", Number(0.0))]), "\"dedupWindow\""),
        (with_url(&[("resume", Bool(true))]), "\"resume\": false unless idKey is set"),
        (with_url(&[("idKey", Text("id".into())), ("resume", obj(&[("lastId", Text("x".into()))]))]), "\"resume.lastId\": no such option"),
        (with_url(&[("idKey", Text("id".into())), ("resume", Number(1.0))]), "\"resume\": an object, true or false"),
        (with_url(&[("ack", obj(&[("timeoutMs", Number(0.0))]))]), "\"ack.timeoutMs\""),
        (with_url(&[("ack", obj(&[("ackType", Text("".into()))]))]), "\"ack.ackType\": a non-empty string"),
        (with_url(&[("maxFrameBytes", Number(0.0))]), "\"maxFrameBytes\""),
        (with_url(&[("persistOutbox", Text("yes".into()))]), "\"persistOutbox\": true or false"),
        (with_url(&[("userKey", Number(7.0))]), "\"userKey\": a non-empty string or null"),
        (with_url(&[("pauseWhenHidden", Number(1.0))]), "\"pauseWhenHidden\": true or false"),
        (with_url(&[("hiddenGraceMs", Number(-1.0))]), "\"hiddenGraceMs\""),
        (with_url(&[("shareAcrossTabs", Null)]), "\"shareAcrossTabs\": true or false"),
        (with_url(&[("userId", Number(2.5))]), "\"userId\": a safe integer, a non-empty string or null"),
        (with_url(&[("userId", Number(9_007_199_254_740_992.0))]), "\"userId\""),
        (with_url(&[("userId", Text("".into()))]), "\"userId\""),
        (with_url(&[("userId", Bool(true))]), "\"userId\""),
        (with_url(&[("notify", obj(&[("senderKey", Text("".into()))]))]), "\"notify.senderKey\": a non-empty string"),
        (with_url(&[("notificationType", Value::Array(vec![]))]), "\"notificationType\": a non-empty string or a non-empty array"),
        (with_url(&[("notificationType", Value::Array(vec![Number(1.0)]))]), "\"notificationType\""),
        (with_url(&[("messageFrame", obj(&[("text", Text("x".into()))]))]), "\"messageFrame.text\": no such option"),
        (with_url(&[("messageFrame", obj(&[("textKey", Text("".into()))]))]), "\"messageFrame.textKey\": a non-empty string"),
        (with_url(&[("messageFrame", Bool(true))]), "\"messageFrame\": an object"),
    ];
    for (value, expected) in cases {
        let message = error_of(value.clone());
        assert!(message.contains(expected), "{message:?} should contain {expected:?} for {value:?}");
    }
}

#[test]
fn delivery_options_default_off_and_fill_in_their_parts() {
    let o = parse(&with_url(&[])).unwrap();
    assert_eq!((o.id_key, o.dedup_window, o.resume, o.ack, o.max_frame_bytes), (None, 1000, None, None, 1_048_576));
    assert_eq!((o.persist_outbox, o.user_key, o.settings.pause_when_hidden, o.settings.resume), (true, None, None, false));
    assert!(o.share_across_tabs);
    let o = parse(&with_url(&[
        ("idKey", Text("message_id".into())),
        ("resume", obj(&[("type", Text("sync".into()))])),
        ("ack", obj(&[("timeoutMs", Number(500.0))])),
        ("pauseWhenHidden", Bool(true)),
        ("userKey", Text("ada".into())),
    ]))
    .unwrap();
    assert_eq!(o.id_key.as_deref(), Some("message_id"));
    assert_eq!(o.resume, Some(Resume { route: "sync".into(), last_id_key: "last_id".into() }));
    assert_eq!(o.ack, Some(AckOptions { id_key: "client_id".into(), ack_type: "ack".into() }));
    assert_eq!((o.settings.ack_timeout, o.settings.resume, o.settings.pause_when_hidden), (500, true, Some(60_000)));
    let o = parse(&with_url(&[("pauseWhenHidden", Bool(true)), ("hiddenGraceMs", Number(0.0)), ("ack", Bool(true))])).unwrap();
    assert_eq!((o.settings.pause_when_hidden, o.settings.ack_timeout), (Some(0), 10_000));
}

#[test]
fn adapters_of_the_notes_a_list_of_notification_types_and_the_frame_of_send_message() {
    let o = parse(&with_url(&[
        ("notificationType", Value::Array(vec![Text("new_message".into()), Text("system_alert".into())])),
        ("conversationKey", Text("chat_id".into())),
        ("messageFrame", obj(&[("textKey", Text("content".into())), ("type", Text("message".into()))])),
    ]))
    .unwrap();
    assert_eq!(o.notification_types, ["new_message", "system_alert"]);
    let frame = MessageFrame { conversation_key: "chat_id".into(), text_key: "content".into(), type_key: "type".into(), kind: "message".into() };
    assert_eq!(o.message_frame, frame, "the conversation field follows conversationKey unless given");
}

#[test]
fn errors_never_echo_the_token() {
    let message = error_of(with_url(&[("token", Text("s3cret".into())), ("tokenParam", Number(1.0))]));
    assert!(!message.contains("s3cret"), "{message}");
}

#[test]
fn typing_presence_and_receipts_have_defaults_and_name_their_keys() {
    let o = parse(&with_url(&[])).unwrap();
    let typing = o.typing.unwrap();
    assert_eq!((typing.route.as_str(), typing.user_key.as_str(), typing.flag_key.as_str()), ("typing", "user_id", "is_typing"));
    assert_eq!(typing.times, TypingTimes { throttle: 3000, idle: 2000, expire: 5000 });
    let presence = o.presence.unwrap();
    let names = [&presence.online_type, &presence.offline_type, &presence.snapshot_type, &presence.user_key, &presence.users_key];
    assert_eq!(names.map(String::as_str), ["user_online", "user_offline", "online_users", "user_id", "users"]);
    assert_eq!(o.read_receipts, None, "receipts are off unless asked for");

    let o = parse(&with_url(&[("typing", Bool(false)), ("presence", Bool(false)), ("readReceipts", Bool(true))])).unwrap();
    assert_eq!((o.typing, o.presence), (None, None));
    assert_eq!(o.read_receipts, Some(ReceiptOptions { route: "read".into(), last_id_key: "last_id".into(), id_key: "id".into() }));
    let o = parse(&with_url(&[("idKey", Text("message_id".into())), ("readReceipts", obj(&[("type", Text("seen".into()))]))])).unwrap();
    let r = o.read_receipts.unwrap();
    assert_eq!((r.route.as_str(), r.id_key.as_str()), ("seen", "message_id"), "the messages' id is idKey's");
    let o = parse(&with_url(&[("typing", obj(&[("idleMs", Number(500.0)), ("flagKey", Text("typing".into()))]))])).unwrap();
    let t = o.typing.unwrap();
    assert_eq!((t.times.idle, t.times.throttle, t.flag_key.as_str()), (500, 3000, "typing"));

    assert_eq!(error_of(with_url(&[("typing", obj(&[("throttleMs", Number(-1.0))]))])), "option \"typing.throttleMs\": a whole number of ms from 1 to 2147483647");
    assert_eq!(error_of(with_url(&[("presence", obj(&[("userkey", Text("x".into()))]))])), "option \"presence.userkey\": no such option (check its spelling)");
    assert_eq!(error_of(with_url(&[("readReceipts", Text("yes".into()))])), "option \"readReceipts\": an object, true or false");
    assert_eq!(error_of(with_url(&[("presence", obj(&[("usersKey", Text(String::new()))]))])), "option \"presence.usersKey\": a non-empty string");
}
