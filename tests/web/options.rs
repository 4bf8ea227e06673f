//! Option checking: every bad option throws an `Error` whose message names the key and what it
//! expects, in the exact texts the JavaScript client gave before the move to Rust (the cases of
//! tests/options.test.mjs), never holding the token; what the rules accept; options in use.

use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use crate::support::*;
use realtime_context::RealtimeContext;

#[wasm_bindgen_test]
fn bad_options_throw_errors_that_name_the_key() {
    let cases = [
        (r#"{"url":"{url}/ws","heartbeat":{"intervalMs":"soon"}}"#, "heartbeat.intervalMs"),
        (r#"{"url":"{url}/ws","reconect":false}"#, "reconect"),
        (r#"{"url":"http://127.0.0.1/ws"}"#, "url"),
        (r#"{"url":"ws://[bad"}"#, "url"),
        (r#"{}"#, "url"),
        (r#"{"url":"{url}/ws","token":"s3cret","tokenParam":5}"#, "tokenParam"),
    ];
    for (options, key) in cases {
        let message = error_of(options, RealtimeContext::new(json(options)));
        assert!(message.contains(key), "{message:?} should name {key}");
        assert!(!message.contains("s3cret"), "the token appears in {message:?}");
    }
    error_of("new RealtimeContext(5)", RealtimeContext::new(5.into()));
}

/// Each bad value (a JS expression, see `js()`) and the whole message it gives: the first bad
/// key in the order src/core/options.rs checks them, then the URL.
const BAD_OPTIONS: &[(&str, &str)] = &[
    (r##"null"##, r##"option "options": the options must be a plain object"##),
    (r##"{}"##, r##"option "url": a ws:// or wss:// URL, or a path such as "/ws/realtime/""##),
    (r##"{ url: 1 }"##, r##"option "url": a ws:// or wss:// URL, or a path such as "/ws/realtime/""##),
    (r##"withUrl({ urll: 'x' })"##, r##"option "urll": no such option (check its spelling)"##),
    (r##"withUrl({ token: 5 })"##, r##"option "token": a string or null"##),
    (r##"withUrl({ routeKey: '' })"##, r##"option "routeKey": a non-empty string"##),
    (r##"withUrl({ connectTimeoutMs: -1 })"##, r##"option "connectTimeoutMs": a whole number of ms from 1 to 2147483647"##),
    (r##"withUrl({ connectTimeoutMs: '5000' })"##, r##"option "connectTimeoutMs": a whole number of ms from 1 to 2147483647"##),
    (r##"withUrl({ heartbeat: 1 })"##, r##"option "heartbeat": an object, true or false"##),
    (r##"withUrl({ heartbeat: { intervalMs: 0.5 } })"##, r##"option "heartbeat.intervalMs": a whole number of ms from 1 to 2147483647"##),
    (r##"withUrl({ heartbeat: { timeout: 5 } })"##, r##"option "heartbeat.timeout": no such option (check its spelling)"##),
    (r##"withUrl({ heartbeat: { ping: 5 } })"##, r##"option "heartbeat.ping": an object or a string"##),
    (r##"withUrl({ reconnect: { jitter: 2 } })"##, r##"option "reconnect.jitter": a number from 0 to 1"##),
    (r##"withUrl({ reconnect: { maxAttempts: 0 } })"##, r##"option "reconnect.maxAttempts": a whole number ≥ 1, or Infinity"##),
    (r##"withUrl({ reconnect: { multiplier: 0.5 } })"##, r##"option "reconnect.multiplier": a number from 1 to 100"##),
    (r##"withUrl({ reconnect: { initialDelayMs: 5000, maxDelayMs: 10 } })"##, r##"option "reconnect.maxDelayMs": a number ≥ initialDelayMs"##),
    (r##"withUrl({ reconnect: { delaysMs: [] } })"##, r##"option "reconnect.delaysMs": a non-empty array of whole ms from 0 to 2147483647"##),
    (r##"withUrl({ reconnect: { delaysMs: ['1'] } })"##, r##"option "reconnect.delaysMs": a non-empty array of whole ms from 0 to 2147483647"##),
    (r##"withUrl({ reconnect: { delaysMs: [1], multiplier: 2 } })"##, r##"option "reconnect.multiplier": not to be given together with delaysMs"##),
    (r##"withUrl({ queue: { maxMessages: -3 } })"##, r##"option "queue.maxMessages": a whole number from 0 to 1000000000"##),
    (r##"withUrl({ queue: true })"##, r##"option "queue": an object"##),
    (r##"withUrl({ notify: { types: 'new_message' } })"##, r##"option "notify.types": an array of non-empty strings"##),
    (r##"withUrl({ notify: { types: [1] } })"##, r##"option "notify.types": an array of non-empty strings"##),
    (r##"withUrl({ notify: { icon: 1 } })"##, r##"option "notify.icon": a URL string or null"##),
    (r##"withUrl({ notify: { title: 'x' } })"##, r##"option "notify.title": no such option (check its spelling)"##),
    (r##"withUrl({ maxNotifications: 0 })"##, r##"option "maxNotifications": a whole number from 1 to 1000000"##),
    (r##"withUrl({ notificationType: null })"##, r##"option "notificationType": a non-empty string"##),
    (r##"undefined"##, r##"option "options": the options must be a plain object"##),
    (r##"[]"##, r##"option "options": the options must be a plain object"##),
    (r##"() => {}"##, r##"option "options": the options must be a plain object"##),
    (r##"'x'"##, r##"option "options": the options must be a plain object"##),
    (r##"5"##, r##"option "options": the options must be a plain object"##),
    (r##"{ url: '' }"##, r##"option "url": a ws:// or wss:// URL, or a path such as "/ws/realtime/""##),
    (r##"{ url: 1, tokn: undefined, other: 1 }"##, r##"option "tokn": no such option (check its spelling)"##),
    (r##"{ url: 1, token: 1 }"##, r##"option "url": a ws:// or wss:// URL, or a path such as "/ws/realtime/""##),
    (r##"withUrl({ maxNotifications: 0, token: 1 })"##, r##"option "token": a string or null"##),
    (r##"withUrl({ tokenParam: '', connectTimeoutMs: 0 })"##, r##"option "connectTimeoutMs": a whole number of ms from 1 to 2147483647"##),
    (r##"withUrl({ connectTimeoutMs: 2147483648 })"##, r##"option "connectTimeoutMs": a whole number of ms from 1 to 2147483647"##),
    (r##"withUrl({ connectTimeoutMs: NaN })"##, r##"option "connectTimeoutMs": a whole number of ms from 1 to 2147483647"##),
    (r##"withUrl({ heartbeat: null, reconnect: null })"##, r##"option "reconnect": an object, true or false"##),
    (r##"withUrl({ reconnect: [] })"##, r##"option "reconnect": an object, true or false"##),
    (r##"withUrl({ reconnect: { delay: 1 } })"##, r##"option "reconnect.delay": no such option (check its spelling)"##),
    (r##"withUrl({ reconnect: { maxAttempts: -Infinity } })"##, r##"option "reconnect.maxAttempts": a whole number ≥ 1, or Infinity"##),
    (r##"withUrl({ reconnect: { maxAttempts: 4294967296 } })"##, r##"option "reconnect.maxAttempts": a whole number ≥ 1, or Infinity"##),
    (r##"withUrl({ reconnect: { maxAttempts: 0, delaysMs: [] } })"##, r##"option "reconnect.maxAttempts": a whole number ≥ 1, or Infinity"##),
    (r##"withUrl({ reconnect: { delaysMs: [], maxDelayMs: 1, initialDelayMs: 1 } })"##, r##"option "reconnect.initialDelayMs": not to be given together with delaysMs"##),
    (r##"withUrl({ reconnect: { delaysMs: null } })"##, r##"option "reconnect.delaysMs": a non-empty array of whole ms from 0 to 2147483647"##),
    (r##"withUrl({ reconnect: { delaysMs: [1, , 2] } })"##, r##"option "reconnect.delaysMs": a non-empty array of whole ms from 0 to 2147483647"##),
    (r##"withUrl({ reconnect: { delaysMs: [-1] } })"##, r##"option "reconnect.delaysMs": a non-empty array of whole ms from 0 to 2147483647"##),
    (r##"withUrl({ reconnect: { delaysMs: [1], jitter: -0.1 } })"##, r##"option "reconnect.jitter": a number from 0 to 1"##),
    (r##"withUrl({ reconnect: { initialDelayMs: 0.5 } })"##, r##"option "reconnect.initialDelayMs": a whole number of ms from 0 to 2147483647"##),
    (r##"withUrl({ reconnect: { maxDelayMs: -1 } })"##, r##"option "reconnect.maxDelayMs": a whole number of ms from 0 to 2147483647"##),
    (r##"withUrl({ reconnect: { initialDelayMs: 40000 } })"##, r##"option "reconnect.maxDelayMs": a number ≥ initialDelayMs"##),
    (r##"withUrl({ reconnect: { multiplier: 101, jitter: 2 } })"##, r##"option "reconnect.multiplier": a number from 1 to 100"##),
    (r##"withUrl({ reconnect: { multiplier: Infinity } })"##, r##"option "reconnect.multiplier": a number from 1 to 100"##),
    (r##"withUrl({ reconnect: { jitter: NaN } })"##, r##"option "reconnect.jitter": a number from 0 to 1"##),
    (r##"withUrl({ heartbeat: 'on', queue: 1 })"##, r##"option "heartbeat": an object, true or false"##),
    (r##"withUrl({ heartbeat: { ping: [1], pongType: '' } })"##, r##"option "heartbeat.ping": an object or a string"##),
    (r##"withUrl({ heartbeat: { ping: null } })"##, r##"option "heartbeat.ping": an object or a string"##),
    (r##"withUrl({ heartbeat: { ping: () => 'x' } })"##, r##"option "heartbeat.ping": an object or a string"##),
    (r##"withUrl({ heartbeat: { pongType: '', intervalMs: 0 } })"##, r##"option "heartbeat.pongType": a non-empty string"##),
    (r##"withUrl({ heartbeat: { intervalMs: 0, timeoutMs: 0 } })"##, r##"option "heartbeat.intervalMs": a whole number of ms from 1 to 2147483647"##),
    (r##"withUrl({ heartbeat: { timeoutMs: 2 ** 31 } })"##, r##"option "heartbeat.timeoutMs": a whole number of ms from 1 to 2147483647"##),
    (r##"withUrl({ queue: false })"##, r##"option "queue": an object"##),
    (r##"withUrl({ queue: null })"##, r##"option "queue": an object"##),
    (r##"withUrl({ queue: { max: 1 } })"##, r##"option "queue.max": no such option (check its spelling)"##),
    (r##"withUrl({ queue: { maxMessages: 1e9 + 1 }, tokenParam: '' })"##, r##"option "queue.maxMessages": a whole number from 0 to 1000000000"##),
    (r##"withUrl({ tokenParam: '', queue: {} })"##, r##"option "tokenParam": a non-empty string"##),
    (r##"withUrl({ routeKey: 1, notify: 1 })"##, r##"option "routeKey": a non-empty string"##),
    (r##"withUrl({ conversationKey: null, notify: 1 })"##, r##"option "conversationKey": a non-empty string"##),
    (r##"withUrl({ notify: 1, notificationType: '' })"##, r##"option "notify": an object, true or false"##),
    (r##"withUrl({ notify: { types: ['a', ''] } })"##, r##"option "notify.types": an array of non-empty strings"##),
    (r##"withUrl({ notify: { titleKey: '' } })"##, r##"option "notify.titleKey": a non-empty string"##),
    (r##"withUrl({ notify: { bodyKey: 1 } })"##, r##"option "notify.bodyKey": a non-empty string"##),
    (r##"withUrl({ notify: { icon: {} } })"##, r##"option "notify.icon": a URL string or null"##),
    (r##"withUrl({ notificationType: '', notificationKey: '' })"##, r##"option "notificationType": a non-empty string"##),
    (r##"withUrl({ notificationKey: 1, maxNotifications: 0 })"##, r##"option "notificationKey": a non-empty string"##),
    (r##"withUrl({ maxNotifications: 1e6 + 1 })"##, r##"option "maxNotifications": a whole number from 1 to 1000000"##),
    (r##"withUrl({ maxNotifications: 1.5 })"##, r##"option "maxNotifications": a whole number from 1 to 1000000"##),
    (r##"withUrl({ heartbeat: { ping: { type: 'ping', n: 1n } } })"##, r##"option "heartbeat.ping": could not be serialized as JSON"##),
    (r##"withUrl({ heartbeat: { ping: cycle } })"##, r##"option "heartbeat.ping": could not be serialized as JSON"##),
    (r##"withUrl({ heartbeat: { ping: { toJSON: () => undefined } } })"##, r##"option "heartbeat.ping": could not be serialized as JSON"##),
    (r##"withUrl({ heartbeat: { ping: cycle }, maxNotifications: 0 })"##, r##"option "maxNotifications": a whole number from 1 to 1000000"##),
    (r##"{ url: 'http://127.0.0.1/ws' }"##, r##"option "url": expected a ws:// or wss:// URL, or a path such as "/ws/realtime/""##),
    (r##"{ url: 'ws://[bad' }"##, r##"option "url": could not be parsed as a URL or path"##),
    (r##"{ url: 'ftp://example.com/ws' }"##, r##"option "url": expected a ws:// or wss:// URL, or a path such as "/ws/realtime/""##),
];

#[wasm_bindgen_test]
fn every_bad_option_gives_the_exact_message_of_the_js_shell() {
    let mut wrong = Vec::new();
    for (value, expected) in BAD_OPTIONS {
        match RealtimeContext::new(js(value)) {
            Ok(ctx) => {
                ctx.free();
                wrong.push(format!("{value}: accepted, expected {expected:?}"));
            }
            Err(error) => {
                let error = JsValue::from(error);
                let got = message(&error);
                if !error.is_instance_of::<js_sys::Error>() {
                    wrong.push(format!("{value}: threw a non-Error {error:?}"));
                } else if got != *expected {
                    wrong.push(format!("{value}:\n    expected {expected:?}\n    got      {got:?}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {} cases differ:\n{}", wrong.len(), BAD_OPTIONS.len(), wrong.join("\n"));
}

#[wasm_bindgen_test]
fn a_token_never_appears_in_any_error_message() {
    // Every bad case with the token added (as tests/options.test.mjs does), and cases that put
    // the token where it does not belong.
    let extra = [
        "withUrl({ token: 1 })",
        "withUrl({ token: [token] })",
        "withUrl({ token: { token } })",
        "{ url: token, urll: token, token }",
        "{ url: 'ws://[' + token, token }",
        "{ url: 'http://x/' + token, token }",
        "withUrl({ token, heartbeat: { ping: { token, n: 1n } } })",
        "withUrl({ token, heartbeat: { ping: Object.assign(JSON.parse(`{\"k\":\"${token}\"}`), { c: 1n }) } })",
        "withUrl({ token, tokenParam: '' })",
        "withUrl({ token, routeKey: token.length })",
    ];
    let with_token = BAD_OPTIONS.iter().map(|(value, _)| format!("((v) => (v && typeof v == 'object' ? {{ token, ...v }} : v))({value})"));
    let mut leaks = Vec::new();
    for value in with_token.chain(extra.iter().map(|s| s.to_string())) {
        match RealtimeContext::new(js(&value)) {
            Ok(ctx) => {
                ctx.free();
                leaks.push(format!("{value}: accepted"));
            }
            Err(error) => {
                let got = message(&error.into());
                if got.contains(SECRET) || got.contains("SECRET") {
                    leaks.push(format!("{value}: {got:?}"));
                }
            }
        }
    }
    assert!(leaks.is_empty(), "{leaks:#?}");
}

#[wasm_bindgen_test]
fn edge_values_the_rules_accept() {
    let accepted = [
        "withUrl({ token: '', connectTimeoutMs: 2147483647, reconnect: { initialDelayMs: 0, maxDelayMs: 0, multiplier: 1.5, jitter: 1, maxAttempts: 4294967295 }, notify: { types: [], icon: '' }, queue: { maxMessages: 1e9 }, maxNotifications: 1e6, heartbeat: { ping: '' } })",
        "withUrl({ reconnect: { delaysMs: [0, 2147483647], jitter: 0.5 } })",
        "withUrl({ reconnect: { delaysMs: [500, 2000, 5000], maxAttempts: Infinity } })",
        "withUrl({ reconnect: true, heartbeat: true, notify: true, queue: undefined, token: undefined })",
        "withUrl({ reconnect: false, heartbeat: false, notify: false })",
        "withUrl({ heartbeat: { intervalMs: 5000 }, reconnect: { maxAttempts: 3 } })",
        "withUrl({ notify: { types: ['TEXT', 'new_message'], icon: '/i.png' }, maxNotifications: 5 })",
        "withUrl({ token: 's3cret', tokenParam: 'access_token', routeKey: 'event_type', heartbeat: { ping: { op: 'hb' }, pongType: 'hb_ack' }, queue: { maxMessages: 0 }, connectTimeoutMs: 250 })",
        "withUrl({ heartbeat: { ping: 'PING' } })",
        "withUrl({ heartbeat: { ping: { type: 'hb', at: { deep: { deeper: { deepest: [1, 'two'] } } } } } })",
        "withUrl({ token: null })",
        // only own enumerable keys count
        "Object.assign(Object.create({ bogus: 1 }), { url: 'wss://x' })",
        "{ url: 'ws://127.0.0.1:9/x' }",
        "{ url: 'wss://example.invalid/ws?existing=1', token: 'a b' }",
    ];
    let mut refused = Vec::new();
    for value in accepted {
        match RealtimeContext::new(js(value)) {
            Ok(ctx) => ctx.free(),
            Err(error) => refused.push(format!("{value}: {}", message(&error.into()))),
        }
    }
    assert!(refused.is_empty(), "{refused:#?}");
}
