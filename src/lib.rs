//! `realtime-context`: ONE WebSocket per user, routed to any number of JS callbacks.
//!
//! Layers: [`core`] is pure Rust (state machine, backoff, heartbeat, routing, queue, frame
//! decoding) tested natively; `web` is the browser shell that carries out the core's actions;
//! this file is the `#[wasm_bindgen]` facade, the JS surface and nothing else.
#![deny(missing_docs)]
#![no_std]

extern crate alloc;
#[cfg(any(test, feature = "std"))]
extern crate std;

pub mod core;
mod prelude;
mod web;

use alloc::rc::Rc;
use alloc::string::String;

use js_sys::{Function, JsString, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

use crate::core::router::{Signal, Topic};
use crate::core::text::join;
use crate::web::decode::id_key;
use crate::web::driver::Shell;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** Connection status: `idle` means never connected. */
export type Status = "idle" | "connecting" | "open" | "reconnecting" | "closed";
/** The `state` of a context. */
export interface ConnectionState { status: Status; attempt: number; nextRetryInMs: number | null; error: string | null; since: number; }
/** A non-fatal problem reported to `onError`. */
export interface RealtimeError { kind: "binary_frame" | "invalid_json" | "not_an_object" | "missing_route_key" | "listener_threw" | "socket" | "notification"; message: string; }
/** Counters from `stats()`. */
export interface Stats { messagesIn: number; messagesOut: number; bytesIn: number; bytesOut: number; reconnects: number; malformedDropped: number; listenerErrors: number; queued: number; lastRttMs: number | null; }
/** A message as the server sent it. */
export type Message = Record<string, any>;
/** A conversation or notification id; `123` and `"123"` are the same. */
export type Id = string | number;
/** Removes a listener; safe to call more than once. */
export type Unsubscribe = () => void;
/** What `onUnread` listeners get. */
export interface UnreadChange { conversationId: Id; count: number; total: number; }
/** What a notification formatter returns. */
export interface NotificationContent { title: string; body?: string; icon?: string; tag?: string; }
/** An in-app notification: the server's object plus its read flag. */
export type StoredNotification = Message & { read: boolean };
/** The `reconnect` option. */
export interface ReconnectOptions { initialDelayMs?: number; maxDelayMs?: number; multiplier?: number; jitter?: number; maxAttempts?: number; delaysMs?: number[]; }
/** The `heartbeat` option. */
export interface HeartbeatOptions { intervalMs?: number; timeoutMs?: number; ping?: object | string; pongType?: string; }
/** The `notify` option. */
export interface NotifyOptions { types?: string[]; titleKey?: string; bodyKey?: string; icon?: string | null; }
/** Options of `new RealtimeContext()`; see the README for defaults. */
export interface RealtimeOptions {
  url: string; token?: string | null; tokenParam?: string; routeKey?: string; conversationKey?: string;
  reconnect?: ReconnectOptions | boolean; connectTimeoutMs?: number; heartbeat?: HeartbeatOptions | boolean;
  queue?: { maxMessages?: number }; notify?: NotifyOptions | boolean; notificationType?: string;
  notificationKey?: string; maxNotifications?: number;
}
"#;

/// One realtime connection per user: create it once, subscribe from anywhere.
#[wasm_bindgen]
pub struct RealtimeContext {
    shell: Rc<Shell>,
}

fn callback(name: &str, value: JsValue) -> Result<Function, JsError> {
    value.dyn_into::<Function>().map_err(|_| JsError::new(&join(&[name, ": callback must be a function"])))
}

#[wasm_bindgen]
impl RealtimeContext {
    /// Validates `options` (see the README's table) and returns an idle context.
    /// Throws an `Error` naming the key of any unknown or mistyped option, or a bad URL.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "RealtimeOptions")] options: JsValue) -> Result<RealtimeContext, JsError> {
        #[cfg(all(debug_assertions, feature = "std"))]
        console_error_panic_hook::set_once();
        let shell = Shell::new(&options).map_err(|e| JsError::new(&e))?;
        Ok(RealtimeContext { shell })
    }

    /// Opens the socket unless it is already open, connecting or retrying.
    pub fn connect(&self) {
        self.shell.connect();
    }

    /// Closes with code 1000 and cancels any retry; listeners and the queue are kept.
    pub fn disconnect(&self) {
        self.shell.disconnect();
    }

    /// Reconnects now with the attempt counter reset (also after giving up).
    pub fn retry(&self) {
        self.shell.retry();
    }

    /// Replaces the token (`null`: none) for every later connection attempt, such as the next
    /// reconnect after a refresh; an open socket is kept. Throws if `token` is not a string.
    #[wasm_bindgen(js_name = setToken)]
    pub fn set_token(&self, #[wasm_bindgen(unchecked_param_type = "string | null")] token: JsValue) -> Result<(), JsError> {
        let token = match token.is_null() || token.is_undefined() {
            true => None,
            false => Some(token.as_string().ok_or_else(|| JsError::new("setToken(token): token must be a string or null"))?),
        };
        self.shell.set_token(token.as_deref()).map_err(|e| JsError::new(&e))
    }

    /// Calls `callback(message)` for every message whose route key equals `type`
    /// (`"*"`: every message). Returns an idempotent unsubscribe function.
    #[wasm_bindgen(unchecked_return_type = "Unsubscribe")]
    pub fn on(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] r#type: JsValue,
        #[wasm_bindgen(unchecked_param_type = "(message: Message) => void")] callback: JsValue,
    ) -> Result<Function, JsError> {
        let callback = self::callback("on(type, callback)", callback)?;
        if !r#type.is_string() {
            return Err(JsError::new("on(type, callback): type must be a string"));
        }
        let topic = match r#type.as_string().as_deref() == Some("*") {
            true => Topic::Any,
            false => Topic::Type(self.shell.type_id(&r#type)),
        };
        Ok(self.shell.subscribe(topic, callback))
    }

    /// Calls `callback(message)` for every message of conversation `id`, whatever its type;
    /// `123` and `"123"` are the same conversation. Returns an unsubscribe function.
    #[wasm_bindgen(js_name = onConversation, unchecked_return_type = "Unsubscribe")]
    pub fn on_conversation(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Id")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "(message: Message) => void")] callback: JsValue,
    ) -> Result<Function, JsError> {
        let callback = self::callback("onConversation(id, callback)", callback)?;
        let key = id_key(&id)
            .ok_or_else(|| JsError::new("onConversation(id, callback): id must be a string or a finite number"))?;
        Ok(self.shell.subscribe(Topic::Conversation(key), callback))
    }

    /// Calls `callback(state)` now and on every change of `state`. Returns an unsubscribe function.
    #[wasm_bindgen(js_name = onState, unchecked_return_type = "Unsubscribe")]
    pub fn on_state(&self, #[wasm_bindgen(unchecked_param_type = "(state: ConnectionState) => void")] callback: JsValue) -> Result<Function, JsError> {
        let callback = self::callback("onState(callback)", callback)?;
        let unsubscribe = self.shell.subscribe(Topic::Signal(Signal::State), callback.clone());
        let shell = Rc::clone(&self.shell);
        shell.call_now(&callback, &shell.state());
        Ok(unsubscribe)
    }

    /// Calls `callback({kind, message})` for non-fatal problems: malformed frames
    /// (`binary_frame`, `invalid_json`, `not_an_object`, `missing_route_key`), a listener that
    /// threw (`listener_threw`), a socket that could not be created (`socket`).
    #[wasm_bindgen(js_name = onError, unchecked_return_type = "Unsubscribe")]
    pub fn on_error(&self, #[wasm_bindgen(unchecked_param_type = "(error: RealtimeError) => void")] callback: JsValue) -> Result<Function, JsError> {
        self.on_signal("onError(callback)", Signal::Error, callback)
    }

    /// Routes a frame as if it had arrived on the socket: JSON text, or an already parsed
    /// message object or array (for frames relayed from elsewhere, such as another tab).
    pub fn receive(&self, #[wasm_bindgen(unchecked_param_type = "string | Message | Message[]")] data: JsValue) {
        self.shell.receive(data);
    }

    /// `{status, attempt, nextRetryInMs, error, since}`; status is `idle`, `connecting`,
    /// `open`, `reconnecting` or `closed`.
    #[wasm_bindgen(getter, unchecked_return_type = "ConnectionState")]
    pub fn state(&self) -> JsValue {
        self.shell.state()
    }

    /// Sends an object (as JSON) or a string. Returns `true` if written now, `false` if
    /// queued until the socket opens; throws when the queue is full (nothing is dropped).
    pub fn send(&self, #[wasm_bindgen(unchecked_param_type = "object | string")] data: JsValue) -> Result<bool, JsError> {
        let frame = if data.is_string() {
            data.unchecked_into::<JsString>()
        } else if data.is_object() && !data.is_function() {
            JSON::stringify(&data).map_err(|_| JsError::new("send(data): the object could not be serialized as JSON"))?
        } else {
            return Err(JsError::new("send(data): expected an object or a string"));
        };
        self.shell.send(frame).map_err(|e| JsError::new(&e))
    }

    /// Sends `{conversation_id, message, type}` (the first key follows `conversationKey`).
    /// Returns and throws as `send`.
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(
        &self,
        #[wasm_bindgen(js_name = conversationId, unchecked_param_type = "Id")] conversation_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        r#type: Option<String>,
    ) -> Result<bool, JsError> {
        if id_key(&conversation_id).is_none() {
            return Err(JsError::new("sendMessage(conversationId, text): conversationId must be a string or a finite number"));
        }
        let message = Object::new();
        let _ = Reflect::set(&message, self.shell.conversation_key(), &conversation_id);
        let _ = Reflect::set(&message, &"message".into(), &text);
        let _ = Reflect::set(&message, &"type".into(), &JsValue::from_str(r#type.as_deref().unwrap_or("TEXT")));
        self.send(message.into())
    }

    /// Makes `id` the conversation the user is looking at (`null`: none): its unread count
    /// drops to 0 and its browser notifications close.
    #[wasm_bindgen(js_name = setActiveConversation)]
    pub fn set_active_conversation(&self, #[wasm_bindgen(unchecked_param_type = "Id | null")] id: JsValue) -> Result<(), JsError> {
        self.shell.set_active_conversation(id).map_err(|e| JsError::new(&e))
    }

    /// The active conversation's id as it was given, or `null`.
    #[wasm_bindgen(getter, js_name = activeConversation, unchecked_return_type = "Id | null")]
    pub fn active_conversation(&self) -> JsValue {
        self.shell.active_conversation()
    }

    /// Unread messages of conversation `id` (0 when unknown).
    #[wasm_bindgen(js_name = unreadCount)]
    pub fn unread_count(&self, #[wasm_bindgen(unchecked_param_type = "Id")] id: JsValue) -> u32 {
        self.shell.unread_count(&id)
    }

    /// Unread messages over all conversations.
    #[wasm_bindgen(getter, js_name = totalUnread)]
    pub fn total_unread(&self) -> f64 {
        self.shell.total_unread() as f64
    }

    /// Sets the unread count of conversation `id` to 0.
    #[wasm_bindgen(js_name = markRead)]
    pub fn mark_read(&self, #[wasm_bindgen(unchecked_param_type = "Id")] id: JsValue) {
        self.shell.mark_read(&id);
    }

    /// Calls `callback({conversationId, count, total})` whenever an unread count changes.
    /// Returns an unsubscribe function.
    #[wasm_bindgen(js_name = onUnread, unchecked_return_type = "Unsubscribe")]
    pub fn on_unread(&self, #[wasm_bindgen(unchecked_param_type = "(change: UnreadChange) => void")] callback: JsValue) -> Result<Function, JsError> {
        self.on_signal("onUnread(callback)", Signal::Unread, callback)
    }

    /// Asks for permission to show browser notifications: a Promise of `"granted"`,
    /// `"denied"`, `"default"` or `"unsupported"` (no Notification API).
    #[wasm_bindgen(js_name = requestNotificationPermission, unchecked_return_type = "Promise<NotificationPermission | \"unsupported\">")]
    pub fn request_notification_permission(&self) -> js_sys::Promise {
        web::notify::request_permission()
    }

    /// Sets `formatter(message)` → `{title, body, icon?, tag?}` or `null` (no notification);
    /// `null` restores the default (`notify.titleKey` / `notify.bodyKey`).
    #[wasm_bindgen(js_name = setNotificationFormatter)]
    pub fn set_notification_formatter(
        &self,
        #[wasm_bindgen(unchecked_param_type = "((message: Message) => NotificationContent | null) | null")] formatter: JsValue,
    ) -> Result<(), JsError> {
        let formatter = match formatter.is_null() || formatter.is_undefined() {
            true => None,
            false => Some(self::callback("setNotificationFormatter(formatter)", formatter)?),
        };
        self.shell.set_notification_formatter(formatter);
        Ok(())
    }

    /// Calls `callback(message)` when a browser notification is clicked (the window is
    /// focused first). Returns an unsubscribe function.
    #[wasm_bindgen(js_name = onNotificationClick, unchecked_return_type = "Unsubscribe")]
    pub fn on_notification_click(&self, #[wasm_bindgen(unchecked_param_type = "(message: Message) => void")] callback: JsValue) -> Result<Function, JsError> {
        self.on_signal("onNotificationClick(callback)", Signal::NotificationClick, callback)
    }

    /// The in-app notifications, newest first: each the server's object plus `read`. The same
    /// frozen array is returned until the store changes.
    #[wasm_bindgen(unchecked_return_type = "readonly StoredNotification[]")]
    pub fn notifications(&self) -> JsValue {
        self.shell.notifications()
    }

    /// How many in-app notifications are unread.
    #[wasm_bindgen(getter, js_name = unreadNotifications)]
    pub fn unread_notifications(&self) -> u32 {
        self.shell.unread_notifications() as u32
    }

    /// Merges a list fetched over REST (newest first) with what arrived live, by `id`: the
    /// fetched copy and its `read` flag win; live ones missing from the list stay first.
    #[wasm_bindgen(js_name = setNotifications)]
    pub fn set_notifications(&self, #[wasm_bindgen(unchecked_param_type = "Message[]")] list: JsValue) -> Result<(), JsError> {
        self.shell.set_notifications(&list).map_err(|e| JsError::new(&e))
    }

    /// Marks the in-app notification `id` read.
    #[wasm_bindgen(js_name = markNotificationRead)]
    pub fn mark_notification_read(&self, #[wasm_bindgen(unchecked_param_type = "Id")] id: JsValue) {
        self.shell.mark_notification_read(&id);
    }

    /// Marks every in-app notification read.
    #[wasm_bindgen(js_name = markAllNotificationsRead)]
    pub fn mark_all_notifications_read(&self) {
        self.shell.mark_all_notifications_read();
    }

    /// Removes the in-app notification `id`.
    #[wasm_bindgen(js_name = removeNotification)]
    pub fn remove_notification(&self, #[wasm_bindgen(unchecked_param_type = "Id")] id: JsValue) {
        self.shell.remove_notification(&id);
    }

    /// Calls `callback(notifications)` whenever the in-app store changes. Returns an
    /// unsubscribe function.
    #[wasm_bindgen(js_name = onNotifications, unchecked_return_type = "Unsubscribe")]
    pub fn on_notifications(&self, #[wasm_bindgen(unchecked_param_type = "(notifications: readonly StoredNotification[]) => void")] callback: JsValue) -> Result<Function, JsError> {
        self.on_signal("onNotifications(callback)", Signal::Notifications, callback)
    }

    /// `{messagesIn, messagesOut, bytesIn, bytesOut, reconnects, malformedDropped,
    /// listenerErrors, queued, lastRttMs}`; sizes are in UTF-16 code units for text.
    #[wasm_bindgen(unchecked_return_type = "Stats")]
    pub fn stats(&self) -> JsValue {
        self.shell.stats()
    }
}

impl RealtimeContext {
    /// Subscribes `callback` to `signal`; `name` labels the error for a non-function.
    fn on_signal(&self, name: &str, signal: Signal, callback: JsValue) -> Result<Function, JsError> {
        let callback = self::callback(name, callback)?;
        Ok(self.shell.subscribe(Topic::Signal(signal), callback))
    }
}

impl Drop for RealtimeContext {
    fn drop(&mut self) {
        self.shell.shutdown();
    }
}

/// A small allocator: the per-message path allocates almost nothing, and dlmalloc's speed on
/// many allocations is not worth its 8 KB of wasm.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

/// Without `std` (the npm build) a panic, which no input can cause, traps at once: no message
/// formatting machinery is linked.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn on_panic(_: &::core::panic::PanicInfo) -> ! {
    ::core::arch::wasm32::unreachable()
}
