//! The `options` object: validated once, with errors that name the key and what it expects.

use crate::prelude::*;

use super::backoff::{Policy, Schedule, DEFAULT_INITIAL_MS};
use super::connection::{Heartbeat, Settings};
use super::key::safe_integer;
use super::text::{decimal, join};
use super::time::{Millis, MAX_TIMER_MS};
use super::typing::TypingTimes;

/// A JS value as options validation sees it (the shell converts the options object once).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `undefined`: the same as an absent key.
    Undefined,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    Text(String),
    /// An array.
    Array(Vec<Value>),
    /// A plain object, its keys in order.
    Object(Vec<(String, Value)>),
    /// A function.
    Function,
    /// Anything else (symbol, bigint, class instance...).
    Other,
}

/// An option was unknown or of the wrong type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionsError {
    /// The dotted path of the key, e.g. `heartbeat.intervalMs`.
    pub key: String,
    /// What the key expects.
    pub expected: &'static str,
}

impl OptionsError {
    /// `option "heartbeat.intervalMs": expected a whole number of ms from 1 to 2147483647`.
    pub fn message(&self) -> String {
        join(&["option \"", &self.key, "\": ", self.expected])
    }
}

/// Validated options.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The URL or path as given (the shell resolves it).
    pub url: String,
    /// Auth token, appended as a query parameter.
    pub token: Option<String>,
    /// Name of the token's query parameter.
    pub token_param: String,
    /// Field naming a message's type.
    pub route_key: String,
    /// Field naming a message's conversation.
    pub conversation_key: String,
    /// Route value of heartbeat answers (consumed, never routed); `None` without heartbeat.
    pub pong_type: Option<String>,
    /// The heartbeat ping: `None` for the default `{"type":"ping"}`; otherwise the option's value.
    pub ping: Option<Value>,
    /// Connection settings.
    pub settings: Settings,
    /// Which messages count as unread and raise browser notifications; `None` when `notify: false`.
    pub notify: Option<Notify>,
    /// Route values of in-app notification messages.
    pub notification_types: Vec<String>,
    /// Field of such a message holding the notification object.
    pub notification_key: String,
    /// Capacity of the in-app notification store.
    pub max_notifications: usize,
    /// Field holding an incoming message's id (`idKey`); `None`: no de-duplication.
    pub id_key: Option<String>,
    /// How many recent (route, id) keys de-duplication remembers.
    pub dedup_window: usize,
    /// The resume frame written first on every open (`resume`).
    pub resume: Option<Resume>,
    /// Acknowledged sends (`ack`).
    pub ack: Option<AckOptions>,
    /// Larger frames are dropped unparsed (text: UTF-16 code units; binary: bytes).
    pub max_frame_bytes: u64,
    /// Mirror the outbox in `sessionStorage` so a reload loses nothing.
    pub persist_outbox: bool,
    /// Who the user is, as the app names them: part of the stored outbox's name and of the
    /// tabs' channel.
    pub user_key: Option<String>,
    /// Share one socket among this user's tabs (with `userKey`, where the browser can).
    pub share_across_tabs: bool,
    /// The user's own id as the server writes it (`userId`), in its canonical text form
    /// (`2` and `"2"` are `"2"`): their own messages and typing echoed back are not counted.
    pub user_id: Option<String>,
    /// The frame `sendMessage` writes.
    pub message_frame: MessageFrame,
    /// Typing indicators (`typing`); `None` when off.
    pub typing: Option<TypingOptions>,
    /// Who is online (`presence`); `None` when off.
    pub presence: Option<PresenceOptions>,
    /// Read receipts (`readReceipts`); `None` when off.
    pub read_receipts: Option<ReceiptOptions>,
}

/// The `typing` option: frames `{[routeKey]: route, [conversationKey]: id, [flag_key]: bool}`
/// both ways, incoming ones naming the typist in `user_key`.
#[derive(Debug, Clone, PartialEq)]
pub struct TypingOptions {
    /// Route value of typing frames.
    pub route: String,
    /// Field of an incoming typing frame naming the typist.
    pub user_key: String,
    /// Field saying typing (`true`) or stopped (`false`).
    pub flag_key: String,
    /// When starts and stops go out, and when others' typing expires.
    pub times: TypingTimes,
}

/// The `presence` option.
#[derive(Debug, Clone, PartialEq)]
pub struct PresenceOptions {
    /// Route value of "came online" events.
    pub online_type: String,
    /// Route value of "went offline" events.
    pub offline_type: String,
    /// Route value of the snapshot of who is online.
    pub snapshot_type: String,
    /// Field naming the user in those events and in the snapshot's objects.
    pub user_key: String,
    /// Field of the snapshot holding its list.
    pub users_key: String,
}

/// The `readReceipts` option: receipts `{[routeKey]: route, [conversationKey]: id, [last_id_key]: last}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptOptions {
    /// Route value of receipts.
    pub route: String,
    /// Field of the receipt holding the last message id read.
    pub last_id_key: String,
    /// Field of incoming messages holding their id.
    pub id_key: String,
}

/// The `messageFrame` option: `sendMessage(id, text, type)` writes
/// `{[conversation_key]: id, [text_key]: text, [type_key]: type}`.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageFrame {
    /// Field of the conversation id (default: `conversationKey`).
    pub conversation_key: String,
    /// Field of the text.
    pub text_key: String,
    /// Field of the type.
    pub type_key: String,
    /// The type when `sendMessage` is given none.
    pub kind: String,
}

/// The `resume` option.
#[derive(Debug, Clone, PartialEq)]
pub struct Resume {
    /// Route value of the resume frame.
    pub route: String,
    /// Field of the resume frame holding the last id seen.
    pub last_id_key: String,
}

/// The `ack` option (its timeout is in [`Settings::ack_timeout`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AckOptions {
    /// Field the client adds to an acknowledged send, and its ack echoes.
    pub id_key: String,
    /// Route value of ack frames.
    pub ack_type: String,
}

/// The `notify` option.
#[derive(Debug, Clone, PartialEq)]
pub struct Notify {
    /// Message types that count as unread and may raise a browser notification.
    pub types: Vec<String>,
    /// Field holding a notification's title; a dotted path (`notification.title`) reads nested.
    pub title_key: String,
    /// Field holding a notification's body; a dotted path reads nested.
    pub body_key: String,
    /// Icon URL for browser notifications.
    pub icon: Option<String>,
    /// Field naming a message's sender, compared with `userId`; a dotted path reads nested.
    pub sender_key: String,
}

const TOP: &[&str] = &[
    "url", "token", "tokenParam", "routeKey", "conversationKey", "reconnect", "connectTimeoutMs", "heartbeat", "queue",
    "notify", "notificationType", "notificationKey", "maxNotifications", "idKey", "dedupWindow", "resume", "ack",
    "maxFrameBytes", "persistOutbox", "userKey", "pauseWhenHidden", "hiddenGraceMs",
    "shareAcrossTabs", "messageFrame", "typing", "presence", "readReceipts", "userId",
];
const TYPING: &[&str] = &["type", "userKey", "flagKey", "throttleMs", "idleMs", "expireMs"];
const PRESENCE: &[&str] = &["onlineType", "offlineType", "snapshotType", "userKey", "usersKey"];
const RECEIPTS: &[&str] = &["type", "lastIdKey", "idKey"];
/// What `true` stands for in a nested option.
static EMPTY: Value = Value::Object(Vec::new());
const MESSAGE_FRAME: &[&str] = &["conversationKey", "textKey", "typeKey", "type"];
const RESUME: &[&str] = &["type", "lastIdKey"];
const ACK: &[&str] = &["idKey", "ackType", "timeoutMs"];
const RECONNECT: &[&str] = &["initialDelayMs", "maxDelayMs", "multiplier", "jitter", "maxAttempts", "delaysMs"];
const HEARTBEAT: &[&str] = &["intervalMs", "timeoutMs", "ping", "pongType"];
const QUEUE: &[&str] = &["maxMessages"];
const NOTIFY: &[&str] = &["types", "titleKey", "bodyKey", "icon", "senderKey"];

/// What a nested option that `true` and `false` also stand for expects.
const TOGGLE: &str = "an object, true or false";
const MS: &str = "a whole number of ms from 1 to 2147483647";
const MS_OR_ZERO: &str = "a whole number of ms from 0 to 2147483647";
const TEXT: &str = "a non-empty string";

/// Validates the options object and fills in defaults.
pub fn parse(options: &Value) -> Result<Options, OptionsError> {
    let top = Fields::of(options, "", TOP, "the options must be a plain object")?;
    let url = match top.get("url") {
        Some(Value::Text(url)) if !url.is_empty() => url.clone(),
        _ => return Err(top.error("url", "a ws:// or wss:// URL, or a path such as \"/ws/realtime/\"")),
    };
    let token = match top.get("token") {
        None | Some(Value::Null) => None,
        Some(Value::Text(t)) => Some(t.clone()),
        Some(_) => return Err(top.error("token", "a string or null")),
    };
    let mut settings = Settings {
        connect_timeout: top.number("connectTimeoutMs", 5000.0, 1.0, MAX_TIMER_MS as f64, MS)? as Millis,
        reconnect: None,
        heartbeat: None,
        queue_max: 1000,
        ack_timeout: 10_000,
        resume: false,
        pause_when_hidden: match top.flag("pauseWhenHidden", false)? {
            true => Some(top.number("hiddenGraceMs", 60_000.0, 0.0, MAX_TIMER_MS as f64, MS_OR_ZERO)? as Millis),
            false => None,
        },
    };
    top.number("hiddenGraceMs", 0.0, 0.0, MAX_TIMER_MS as f64, MS_OR_ZERO)?;
    settings.reconnect = match top.get("reconnect") {
        Some(Value::Bool(false)) => None,
        None | Some(Value::Bool(true)) => Some(Policy::default()),
        Some(v) => Some(reconnect(&Fields::of(v, "reconnect", RECONNECT, TOGGLE)?)?),
    };
    let mut ping = None;
    let mut pong_type = Some("pong".to_owned());
    settings.heartbeat = match top.get("heartbeat") {
        Some(Value::Bool(false)) => {
            pong_type = None;
            None
        }
        None | Some(Value::Bool(true)) => Some(Heartbeat { interval: 25_000, timeout: 10_000 }),
        Some(v) => {
            let hb = Fields::of(v, "heartbeat", HEARTBEAT, TOGGLE)?;
            ping = match hb.get("ping") {
                None => None,
                Some(p @ (Value::Object(_) | Value::Text(_))) => Some(p.clone()),
                Some(_) => return Err(hb.error("ping", "an object or a string")),
            };
            pong_type = Some(hb.text("pongType", "pong")?);
            Some(Heartbeat {
                interval: hb.number("intervalMs", 25_000.0, 1.0, MAX_TIMER_MS as f64, MS)? as Millis,
                timeout: hb.number("timeoutMs", 10_000.0, 1.0, MAX_TIMER_MS as f64, MS)? as Millis,
            })
        }
    };
    if let Some(q) = top.get("queue") {
        let q = Fields::of(q, "queue", QUEUE, "an object")?;
        settings.queue_max = q.number("maxMessages", 1000.0, 0.0, 1e9, "a whole number from 0 to 1000000000")? as usize;
    }
    let id_key = top.text_or_null("idKey")?;
    let resume = match top.get("resume") {
        None | Some(Value::Bool(false)) => None,
        Some(_) if id_key.is_none() => return Err(top.error("resume", "false unless idKey is set (resume sends the last id seen)")),
        Some(Value::Bool(true)) => Some(Resume { route: "resume".into(), last_id_key: "last_id".into() }),
        Some(v) => {
            let r = Fields::of(v, "resume", RESUME, TOGGLE)?;
            let [route, last_id_key] = r.texts([("type", "resume"), ("lastIdKey", "last_id")])?;
            Some(Resume { route, last_id_key })
        }
    };
    settings.resume = resume.is_some();
    let ack = match top.get("ack") {
        None | Some(Value::Bool(false)) => None,
        Some(Value::Bool(true)) => Some(AckOptions { id_key: "client_id".into(), ack_type: "ack".into() }),
        Some(v) => {
            let a = Fields::of(v, "ack", ACK, TOGGLE)?;
            settings.ack_timeout = a.number("timeoutMs", 10_000.0, 1.0, MAX_TIMER_MS as f64, MS)? as Millis;
            let [id_key, ack_type] = a.texts([("idKey", "client_id"), ("ackType", "ack")])?;
            Some(AckOptions { id_key, ack_type })
        }
    };
    Ok(Options {
        url,
        token,
        token_param: top.text("tokenParam", "token")?,
        route_key: top.text("routeKey", "type")?,
        conversation_key: top.text("conversationKey", "conversation_id")?,
        pong_type,
        ping,
        settings,
        notify: match top.get("notify") {
            Some(Value::Bool(false)) => None,
            None | Some(Value::Bool(true)) => Some(notify(&Fields::of(&Value::Object(Vec::new()), "notify", NOTIFY, TOGGLE)?)?),
            Some(v) => Some(notify(&Fields::of(v, "notify", NOTIFY, TOGGLE)?)?),
        },
        notification_types: match top.get("notificationType") {
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(|v| match v {
                    Value::Text(t) if !t.is_empty() => Ok(t.clone()),
                    _ => Err(top.error("notificationType", "a non-empty string or a non-empty array of them")),
                })
                .collect::<Result<_, _>>()?,
            Some(Value::Array(_)) => return Err(top.error("notificationType", "a non-empty string or a non-empty array of them")),
            _ => vec![top.text("notificationType", "notification")?],
        },
        notification_key: top.text("notificationKey", "notification")?,
        max_notifications: top.number("maxNotifications", 200.0, 1.0, 1e6, "a whole number from 1 to 1000000")? as usize,
        id_key,
        dedup_window: top.number("dedupWindow", 1000.0, 1.0, 1e6, "a whole number from 1 to 1000000")? as usize,
        resume,
        ack,
        max_frame_bytes: top.number("maxFrameBytes", 1_048_576.0, 1.0, 9e15, "a whole number of bytes ≥ 1")? as u64,
        persist_outbox: top.flag("persistOutbox", true)?,
        user_key: top.text_or_null("userKey")?,
        share_across_tabs: top.flag("shareAcrossTabs", true)?,
        user_id: user_id(&top)?,
        typing: match section(&top, "typing", TYPING, true)? {
            None => None,
            Some(t) => {
                let [route, user_key, flag_key] = t.texts([("type", "typing"), ("userKey", "user_id"), ("flagKey", "is_typing")])?;
                let [throttle, idle, expire] = t.durations([("throttleMs", 3000), ("idleMs", 2000), ("expireMs", 5000)])?;
                Some(TypingOptions { route, user_key, flag_key, times: TypingTimes { throttle, idle, expire } })
            }
        },
        presence: match section(&top, "presence", PRESENCE, true)? {
            None => None,
            Some(p) => {
                let [online_type, offline_type, snapshot_type, user_key, users_key] = p.texts([
                    ("onlineType", "user_online"),
                    ("offlineType", "user_offline"),
                    ("snapshotType", "online_users"),
                    ("userKey", "user_id"),
                    ("usersKey", "users"),
                ])?;
                Some(PresenceOptions { online_type, offline_type, snapshot_type, user_key, users_key })
            }
        },
        read_receipts: match section(&top, "readReceipts", RECEIPTS, false)? {
            None => None,
            Some(r) => {
                let id_key = top.text_or_null("idKey")?;
                let [route, last_id_key, id_key] = r.texts([("type", "read"), ("lastIdKey", "last_id"), ("idKey", id_key.as_deref().unwrap_or("id"))])?;
                Some(ReceiptOptions { route, last_id_key, id_key })
            }
        },
        message_frame: {
            let conversation_key = top.text("conversationKey", "conversation_id")?;
            let empty = Value::Object(Vec::new());
            let m = Fields::of(top.get("messageFrame").unwrap_or(&empty), "messageFrame", MESSAGE_FRAME, "an object")?;
            let [conversation_key, text_key, type_key, kind] =
                m.texts([("conversationKey", &conversation_key), ("textKey", "message"), ("typeKey", "type"), ("type", "TEXT")])?;
            MessageFrame { conversation_key, text_key, type_key, kind }
        },
    })
}

/// A nested option that `true` and `false` also stand for: its fields, or `None` when off
/// (`on`: when absent).
fn section<'a>(top: &Fields<'a>, name: &'a str, known: &[&str], on: bool) -> Result<Option<Fields<'a>>, OptionsError> {
    match top.get(name) {
        Some(Value::Bool(false)) => Ok(None),
        None if !on => Ok(None),
        None | Some(Value::Bool(true)) => Fields::of(&EMPTY, name, known, TOGGLE).map(Some),
        Some(v) => Fields::of(v, name, known, TOGGLE).map(Some),
    }
}

/// `userId` in its canonical text form: a safe integer's decimal text, or a non-empty string.
fn user_id(top: &Fields) -> Result<Option<String>, OptionsError> {
    let id = match top.get("userId") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Text(id)) if !id.is_empty() => Some(id.clone()),
        Some(Value::Number(n)) => safe_integer(*n).map(decimal),
        Some(_) => None,
    };
    id.map(Some).ok_or_else(|| top.error("userId", "a safe integer, a non-empty string or null"))
}

fn notify(n: &Fields) -> Result<Notify, OptionsError> {
    let types = match n.get("types") {
        None => vec!["new_message".to_owned()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::Text(t) if !t.is_empty() => Ok(t.clone()),
                _ => Err(n.error("types", "an array of non-empty strings")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(n.error("types", "an array of non-empty strings")),
    };
    let [title_key, body_key, sender_key] = n.texts([("titleKey", "sender_name"), ("bodyKey", "message"), ("senderKey", "sender_id")])?;
    Ok(Notify {
        types,
        title_key,
        body_key,
        icon: match n.get("icon") {
            None | Some(Value::Null) => None,
            Some(Value::Text(url)) => Some(url.clone()),
            Some(_) => return Err(n.error("icon", "a URL string or null")),
        },
        sender_key,
    })
}

fn reconnect(r: &Fields) -> Result<Policy, OptionsError> {
    let defaults = Policy::default();
    let max_attempts = match r.get("maxAttempts") {
        Some(Value::Number(n)) if n.is_infinite() && *n > 0.0 => u32::MAX,
        _ => r.number("maxAttempts", 10.0, 1.0, u32::MAX as f64, "a whole number ≥ 1, or Infinity")? as u32,
    };
    if let Some(delays) = r.get("delaysMs") {
        for key in ["initialDelayMs", "maxDelayMs", "multiplier"] {
            if r.get(key).is_some() {
                return Err(r.error(key, "not to be given together with delaysMs"));
            }
        }
        let list = match delays {
            Value::Array(items) if !items.is_empty() => items
                .iter()
                .map(|v| match v {
                    Value::Number(n) if is_whole_in(*n, 0.0, MAX_TIMER_MS as f64) => Ok(*n),
                    _ => Err(r.error("delaysMs", "a non-empty array of whole ms from 0 to 2147483647")),
                })
                .collect::<Result<Vec<f64>, _>>()?,
            _ => return Err(r.error("delaysMs", "a non-empty array of whole ms from 0 to 2147483647")),
        };
        return Ok(Policy {
            schedule: Schedule::Fixed(list),
            jitter: r.fraction("jitter", 0.0)?,
            max_attempts,
        });
    }
    let initial = r.number("initialDelayMs", DEFAULT_INITIAL_MS, 0.0, MAX_TIMER_MS as f64, "a whole number of ms from 0 to 2147483647")?;
    let max = r.number("maxDelayMs", 30_000.0, 0.0, MAX_TIMER_MS as f64, "a whole number of ms from 0 to 2147483647")?;
    if max < initial {
        return Err(r.error("maxDelayMs", "a number ≥ initialDelayMs"));
    }
    let multiplier = match r.get("multiplier") {
        None => 2.0,
        Some(Value::Number(n)) if n.is_finite() && *n >= 1.0 && *n <= 100.0 => *n,
        Some(_) => return Err(r.error("multiplier", "a number from 1 to 100")),
    };
    Ok(Policy {
        schedule: Schedule::Exponential { initial, max, multiplier },
        jitter: r.fraction("jitter", defaults.jitter)?,
        max_attempts,
    })
}

fn is_whole_in(n: f64, min: f64, max: f64) -> bool {
    n == n as i64 as f64 && n >= min && n <= max
}

/// One level of the options object, with its path for error messages.
struct Fields<'a> {
    path: &'a str,
    entries: &'a [(String, Value)],
}

impl<'a> Fields<'a> {
    /// The fields of `value`, which must be a plain object (else `expected` is the error)
    /// holding only `known` keys.
    fn of(value: &'a Value, path: &'a str, known: &[&str], expected: &'static str) -> Result<Self, OptionsError> {
        let Value::Object(entries) = value else {
            return Err(OptionsError { key: if path.is_empty() { "options".into() } else { path.into() }, expected });
        };
        let fields = Fields { path, entries };
        match entries.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            Some((unknown, _)) => Err(fields.error(unknown, "no such option (check its spelling)")),
            None => Ok(fields),
        }
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.entries.iter().find(|(k, _)| k == name).map(|(_, v)| v).filter(|v| **v != Value::Undefined)
    }

    fn error(&self, name: &str, expected: &'static str) -> OptionsError {
        let mut key = String::from(self.path);
        if !key.is_empty() {
            key.push('.');
        }
        key.push_str(name);
        OptionsError { key, expected }
    }

    fn number(&self, name: &str, default: f64, min: f64, max: f64, expected: &'static str) -> Result<f64, OptionsError> {
        match self.get(name) {
            None => Ok(default),
            Some(Value::Number(n)) if is_whole_in(*n, min, max) => Ok(*n),
            Some(_) => Err(self.error(name, expected)),
        }
    }

    fn fraction(&self, name: &str, default: f64) -> Result<f64, OptionsError> {
        match self.get(name) {
            None => Ok(default),
            Some(Value::Number(n)) if (0.0..=1.0).contains(n) => Ok(*n),
            Some(_) => Err(self.error(name, "a number from 0 to 1")),
        }
    }

    fn flag(&self, name: &str, default: bool) -> Result<bool, OptionsError> {
        match self.get(name) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(self.error(name, "true or false")),
        }
    }

    fn text_or_null(&self, name: &str) -> Result<Option<String>, OptionsError> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Text(t)) if !t.is_empty() => Ok(Some(t.clone())),
            Some(_) => Err(self.error(name, "a non-empty string or null")),
        }
    }

    /// The text fields `(name, default)`, in order.
    #[inline(never)]
    fn texts<const N: usize>(&self, fields: [(&str, &str); N]) -> Result<[String; N], OptionsError> {
        let mut out = [const { String::new() }; N];
        for (slot, (name, default)) in out.iter_mut().zip(fields) {
            *slot = self.text(name, default)?;
        }
        Ok(out)
    }

    /// The durations `(name, default ms)`, each from 1 ms to the longest timer, in order.
    #[inline(never)]
    fn durations<const N: usize>(&self, fields: [(&str, Millis); N]) -> Result<[Millis; N], OptionsError> {
        let mut out = [0; N];
        for (slot, (name, default)) in out.iter_mut().zip(fields) {
            *slot = self.number(name, default as f64, 1.0, MAX_TIMER_MS as f64, MS)? as Millis;
        }
        Ok(out)
    }

    fn text(&self, name: &str, default: &str) -> Result<String, OptionsError> {
        match self.get(name) {
            None => Ok(default.to_owned()),
            Some(Value::Text(t)) if !t.is_empty() => Ok(t.clone()),
            Some(_) => Err(self.error(name, TEXT)),
        }
    }
}

#[cfg(test)]
#[path = "options_tests.rs"]
mod tests;
