//! `realtime-context`: ONE WebSocket per user, routed to any number of JS callbacks.
//!
//! Layers: [`core`] is pure Rust (state machine, backoff, heartbeat, routing, queue, unread
//! counts, the notification store's rules, option checking), tested natively; `web` is the
//! browser shell that carries out the core's decisions with web-sys, js-sys and gloo-timers;
//! this file is the `#[wasm_bindgen]` facade [`RealtimeContext`]: the JS names, the argument
//! checks, and errors as JS `Error`s that name the bad argument.
#![deny(missing_docs)]
#![no_std]

extern crate alloc;
extern crate std;

pub mod core;
mod prelude;
mod web;

use alloc::rc::Rc;

use crate::prelude::*;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use crate::core::router::{Signal, Topic};
use crate::web::js::{given, object, stringify};
use crate::web::shell::Shell;
use crate::web::store::{id_of, StoreChange};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// The error of any use after `free()`.
const FREED: &str = "RealtimeContext: used after free()";

/// One realtime connection per user: create it once, subscribe from anywhere.
#[wasm_bindgen]
pub struct RealtimeContext {
    shell: Rc<Shell>,
}

/// `callback` as a function, or the error `"NAME: callback must be a function"`.
fn function(callback: JsValue, name: &str) -> Result<Function, JsError> {
    match callback.is_function() {
        true => Ok(callback.unchecked_into()),
        false => Err(JsError::new(&(String::from(name) + ": callback must be a function"))),
    }
}

#[wasm_bindgen]
impl RealtimeContext {
    /// Validates `options` (see the README's table) and returns an idle context. Throws an
    /// `Error` naming the key of any unknown or mistyped option, or a bad URL.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "RealtimeOptions")] options: JsValue) -> Result<RealtimeContext, JsError> {
        let shell = Shell::new(&options).map_err(|e| JsError::new(&e))?;
        Ok(RealtimeContext { shell })
    }

    fn live(&self) -> Result<&Shell, JsError> {
        match self.shell.is_freed() {
            true => Err(JsError::new(FREED)),
            false => Ok(&self.shell),
        }
    }

    // ---- connection ----

    /// Opens the socket unless it is already open, connecting or retrying.
    pub fn connect(&self) -> Result<(), JsError> {
        self.live()?.connect();
        Ok(())
    }

    /// Closes with code 1000 and cancels any retry; listeners and the queue are kept.
    pub fn disconnect(&self) -> Result<(), JsError> {
        self.live()?.disconnect();
        Ok(())
    }

    /// Disconnects this tab and every other tab of this user that shares the socket (the
    /// user's session ended); alone, the same as `disconnect()`.
    #[wasm_bindgen(js_name = logoutEverywhere)]
    pub fn logout_everywhere(&self) -> Result<(), JsError> {
        self.live()?.logout_everywhere();
        Ok(())
    }

    /// Reconnects now with the attempt counter reset (also after giving up); nothing while open.
    pub fn retry(&self) -> Result<(), JsError> {
        self.live()?.retry();
        Ok(())
    }

    /// Replaces the token (`null`: none) for every later connection attempt; an open socket is
    /// kept. Throws if `token` is not a string or null.
    #[wasm_bindgen(js_name = setToken)]
    pub fn set_token(&self, #[wasm_bindgen(unchecked_param_type = "string | null")] token: JsValue) -> Result<(), JsError> {
        let shell = self.live()?;
        let token = match given(token) {
            None => None,
            Some(token) => Some(token.as_string().ok_or_else(|| JsError::new("setToken(token): token must be a string or null"))?),
        };
        shell.set_token(token.as_deref()).map_err(|e| JsError::new(&e))
    }

    /// Sets `provider() → token | Promise<token>` (`null`: none). When the server refuses the
    /// token (close code 4001, 4003 or 1008), the provider is asked once for a fresh one and
    /// the socket reopened with it; refused again, the context closes as unauthorized.
    #[wasm_bindgen(js_name = setTokenProvider)]
    pub fn set_token_provider(&self, #[wasm_bindgen(unchecked_param_type = "TokenProvider | null")] provider: JsValue) -> Result<(), JsError> {
        let shell = self.live()?;
        let provider = given(provider).map(|p| function(p, "setTokenProvider(provider)")).transpose()?;
        shell.set_token_provider(provider);
        Ok(())
    }

    /// `{status, attempt, nextRetryInMs, error, since}`.
    #[wasm_bindgen(getter, unchecked_return_type = "ConnectionState")]
    pub fn state(&self) -> Result<JsValue, JsError> {
        Ok(self.live()?.state())
    }

    /// Calls `callback(state)` now and on every change of `state`. Returns an unsubscribe function.
    #[wasm_bindgen(js_name = onState, unchecked_return_type = "Unsubscribe")]
    pub fn on_state(&self, #[wasm_bindgen(unchecked_param_type = "StateCallback")] callback: JsValue) -> Result<Function, JsError> {
        let shell = self.live()?;
        let callback = function(callback, "onState(callback)")?;
        let off = shell.subscribe(Topic::Signal(Signal::State), callback.clone());
        shell.call_now(&callback, &shell.state());
        Ok(off)
    }

    /// Sends an object (as JSON) or a string. Returns `true` if written now, `false` if queued
    /// until the socket opens; throws when the queue is full (nothing is dropped silently).
    pub fn send(&self, #[wasm_bindgen(unchecked_param_type = "object | string")] data: JsValue) -> Result<bool, JsError> {
        let shell = self.live()?;
        let frame = if data.is_string() {
            data
        } else if data.is_object() {
            stringify(&data).ok().filter(JsValue::is_string).ok_or_else(|| JsError::new("send(data): the object could not be serialized as JSON"))?
        } else {
            return Err(JsError::new("send(data): expected an object or a string"));
        };
        shell.send(frame.unchecked_into()).map_err(|e| JsError::new(&e))
    }

    /// Sends a copy of `data` with a fresh `client_id` (option `ack`) and keeps it until the
    /// server acks it, writing it again after every reconnect. The Promise resolves with the
    /// ack frame, or rejects after `ack.timeoutMs` of open connection without one. Throws
    /// when `ack` is off, `data` is no object, or the queue is full.
    #[wasm_bindgen(js_name = sendAcked, unchecked_return_type = "Promise<Message>")]
    pub fn send_acked(&self, #[wasm_bindgen(unchecked_param_type = "object")] data: JsValue) -> Result<Promise, JsError> {
        self.live()?.send_acked(&data).map_err(|e| JsError::new(&e))
    }

    /// Sends `{conversation_id, message, type}` (the fields follow `messageFrame`); as `send`.
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(
        &self,
        #[wasm_bindgen(js_name = conversationId, unchecked_param_type = "Id")] conversation_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(js_name = type, unchecked_optional_param_type = "string")] kind: JsValue,
    ) -> Result<bool, JsError> {
        let shell = self.live()?;
        if id_of(&conversation_id).is_none() {
            return Err(JsError::new("sendMessage(conversationId, text): conversationId must be a string or a finite number"));
        }
        if !text.is_string() {
            return Err(JsError::new("sendMessage(conversationId, text): text must be a string"));
        }
        let [conversation, text_key, type_key, default_kind] = &shell.message_frame;
        let kind = given(kind).unwrap_or_else(|| default_kind.clone());
        let message = object(&[(conversation, conversation_id), (text_key, text), (type_key, kind)]);
        self.send(message)
    }

    /// `{messagesIn, messagesOut, bytesIn, bytesOut, reconnects, malformedDropped, listenerErrors, queued, lastRttMs, duplicatesDropped, unacked, role, tabs}`.
    #[wasm_bindgen(unchecked_return_type = "Stats")]
    pub fn stats(&self) -> Result<JsValue, JsError> {
        Ok(self.live()?.stats())
    }

    /// Closes the socket, cancels the timer and drops every callback and queued frame; nothing
    /// is called afterwards, even by a dispatch in progress. Safe inside a callback and more
    /// than once; any later use of the context throws. It replaces the `free()` wasm-bindgen
    /// generates, which would refuse to run inside a callback of this context (the value is
    /// borrowed then); the declaration wasm-bindgen writes for that one stays.
    #[wasm_bindgen(skip_typescript)]
    pub fn free(&self) {
        self.shell.shutdown();
    }

    // ---- listeners and routing ----

    /// Calls `callback(message)` for every message whose route key equals `type` (`"*"`: all).
    #[wasm_bindgen(unchecked_return_type = "Unsubscribe")]
    pub fn on(
        &self,
        #[wasm_bindgen(js_name = type, unchecked_param_type = "string")] kind: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MessageCallback")] callback: JsValue,
    ) -> Result<Function, JsError> {
        let shell = self.live()?;
        let callback = function(callback, "on(type, callback)")?;
        let kind = kind.as_string().ok_or_else(|| JsError::new("on(type, callback): type must be a string"))?;
        let topic = match kind.as_str() {
            "*" => Topic::Any,
            _ => Topic::Type(shell.type_id(&kind)),
        };
        Ok(shell.subscribe(topic, callback))
    }

    /// Calls `callback(message)` for every message of conversation `id` (`123` and `"123"` are one).
    #[wasm_bindgen(js_name = onConversation, unchecked_return_type = "Unsubscribe")]
    pub fn on_conversation(&self, #[wasm_bindgen(unchecked_param_type = "Id")] id: JsValue, #[wasm_bindgen(unchecked_param_type = "MessageCallback")] callback: JsValue) -> Result<Function, JsError> {
        let shell = self.live()?;
        let callback = function(callback, "onConversation(id, callback)")?;
        let key = shell.key_of(&id, true).ok_or_else(|| JsError::new("onConversation(id, callback): id must be a string or a finite number"))?;
        Ok(shell.subscribe(Topic::Conversation(key), callback))
    }

    /// Calls `callback({kind, message})` for non-fatal problems. Returns an unsubscribe function.
    #[wasm_bindgen(js_name = onError, unchecked_return_type = "Unsubscribe")]
    pub fn on_error(&self, #[wasm_bindgen(unchecked_param_type = "ErrorCallback")] callback: JsValue) -> Result<Function, JsError> {
        self.on_signal(Signal::Error, callback, "onError(callback)")
    }

    /// Routes a frame as if it had arrived on the socket: JSON text, or a parsed object or array.
    pub fn receive(&self, #[wasm_bindgen(unchecked_param_type = "string | Message | Message[]")] data: JsValue) -> Result<(), JsError> {
        self.live()?.receive(&data);
        Ok(())
    }

    // ---- unread counts and browser notifications ----

    /// Makes `id` (`null`: none) the conversation the user is looking at: its unread count
    /// drops to 0 and its browser notifications close.
    #[wasm_bindgen(js_name = setActiveConversation)]
    pub fn set_active_conversation(&self, #[wasm_bindgen(unchecked_param_type = "Id | null")] id: JsValue) -> Result<(), JsError> {
        let shell = self.live()?;
        let id = given(id);
        let key = match &id {
            None => None,
            Some(id) => Some(shell.key_of(id, true).ok_or_else(|| JsError::new("setActiveConversation(id): id must be a string, a finite number or null"))?),
        };
        let change = shell.with_core(|core| core.unread.set_active(key.zip(id)));
        shell.share_view();
        if let Some(key) = key {
            shell.share_read(key);
            shell.read_here(key);
        }
        shell.after_read(key, change);
        Ok(())
    }

    /// The active conversation's id as it was given, or `null`.
    #[wasm_bindgen(getter = activeConversation, unchecked_return_type = "Id | null")]
    pub fn active_conversation(&self) -> Result<JsValue, JsError> {
        Ok(self.live()?.with_core(|core| core.unread.active().map_or(JsValue::NULL, |(_, id)| id.clone())))
    }

    /// Unread messages of conversation `id` (0 when unknown).
    #[wasm_bindgen(js_name = unreadCount)]
    pub fn unread_count(&self, #[wasm_bindgen(unchecked_param_type = "Id")] id: JsValue) -> Result<u32, JsError> {
        let shell = self.live()?;
        Ok(shell.key_of(&id, false).map_or(0, |key| shell.with_core(|core| core.unread.count(&key))))
    }

    /// Unread messages over all conversations.
    #[wasm_bindgen(getter = totalUnread)]
    pub fn total_unread(&self) -> Result<f64, JsError> {
        Ok(self.live()?.with_core(|core| core.unread.total() as f64))
    }

    /// Sets the unread count of conversation `id` to 0; with `readReceipts`, sends a receipt
    /// for its last message if one arrived since the last receipt.
    #[wasm_bindgen(js_name = markRead)]
    pub fn mark_read(&self, #[wasm_bindgen(unchecked_param_type = "Id")] id: JsValue) -> Result<(), JsError> {
        let shell = self.live()?;
        if let Some(key) = shell.key_of(&id, false) {
            let change = shell.with_core(|core| core.unread.mark_read(&key));
            shell.share_read(key);
            shell.read_here(key);
            shell.after_read(Some(key), change);
        }
        Ok(())
    }

    /// Calls `callback({conversationId, count, total})` whenever an unread count changes.
    #[wasm_bindgen(js_name = onUnread, unchecked_return_type = "Unsubscribe")]
    pub fn on_unread(&self, #[wasm_bindgen(unchecked_param_type = "UnreadCallback")] callback: JsValue) -> Result<Function, JsError> {
        self.on_signal(Signal::Unread, callback, "onUnread(callback)")
    }

    /// Asks for permission to show browser notifications: a Promise of `"granted"`,
    /// `"denied"`, `"default"` or `"unsupported"`.
    #[wasm_bindgen(js_name = requestNotificationPermission, unchecked_return_type = "Promise<PermissionResult>")]
    pub fn request_notification_permission(&self) -> Result<Promise, JsError> {
        self.live()?;
        Ok(crate::web::notify::request_permission())
    }

    /// Sets `formatter(message)` → `{title, body, icon?, tag?}` or `null`; `null` restores the default.
    #[wasm_bindgen(js_name = setNotificationFormatter)]
    pub fn set_notification_formatter(&self, #[wasm_bindgen(unchecked_param_type = "NotificationFormatter | null")] formatter: JsValue) -> Result<(), JsError> {
        let shell = self.live()?;
        let formatter = given(formatter).map(|f| function(f, "setNotificationFormatter(formatter)")).transpose()?;
        if let Some(notifier) = shell.notifier() {
            notifier.set_formatter(formatter);
        }
        Ok(())
    }

    /// Calls `callback(message)` when a browser notification is clicked.
    #[wasm_bindgen(js_name = onNotificationClick, unchecked_return_type = "Unsubscribe")]
    pub fn on_notification_click(&self, #[wasm_bindgen(unchecked_param_type = "MessageCallback")] callback: JsValue) -> Result<Function, JsError> {
        self.on_signal(Signal::NotificationClick, callback, "onNotificationClick(callback)")
    }

    // ---- typing and presence ----

    /// Says this user is (or stopped) typing in conversation `id`. While typing, a start goes
    /// out at most once per `typing.throttleMs`, and a stop by itself after `typing.idleMs`
    /// without another call; only while the socket is open (typing is never queued). Returns
    /// whether a frame was written now. Throws when `typing` is off or an argument is bad.
    #[wasm_bindgen(js_name = setTyping)]
    pub fn set_typing(
        &self,
        #[wasm_bindgen(js_name = conversationId, unchecked_param_type = "Id")] id: JsValue,
        #[wasm_bindgen(js_name = isTyping, unchecked_param_type = "boolean")] typing: JsValue,
    ) -> Result<bool, JsError> {
        let shell = self.live()?;
        let key = shell.key_of(&id, true).ok_or_else(|| JsError::new("setTyping(conversationId, isTyping): conversationId must be a string or a finite number"))?;
        let typing = typing.as_bool().ok_or_else(|| JsError::new("setTyping(conversationId, isTyping): isTyping must be true or false"))?;
        shell.set_typing(&id, key, typing).map_err(|e| JsError::new(&e))
    }

    /// The users typing in conversation `id` now, in the order they started, ids as sent (at
    /// most 16 per conversation).
    #[wasm_bindgen(js_name = typingUsers, unchecked_return_type = "Id[]")]
    pub fn typing_users(&self, #[wasm_bindgen(unchecked_param_type = "Id")] id: JsValue) -> Result<js_sys::Array, JsError> {
        let shell = self.live()?;
        Ok(shell.key_of(&id, false).map_or_else(js_sys::Array::new, |key| shell.typing_users(key)))
    }

    /// Calls `callback({conversationId, users})` whenever who is typing in a conversation
    /// changes (a start, a stop, an expiry, the connection closing).
    #[wasm_bindgen(js_name = onTyping, unchecked_return_type = "Unsubscribe")]
    pub fn on_typing(&self, #[wasm_bindgen(unchecked_param_type = "TypingCallback")] callback: JsValue) -> Result<Function, JsError> {
        self.on_signal(Signal::Typing, callback, "onTyping(callback)")
    }

    /// The users online now, in the order they came online, ids as sent.
    #[wasm_bindgen(js_name = onlineUsers, unchecked_return_type = "Id[]")]
    pub fn online_users(&self) -> Result<js_sys::Array, JsError> {
        Ok(self.live()?.online_users())
    }

    /// Whether user `id` is online (`123` and `"123"` are one).
    #[wasm_bindgen(js_name = isOnline)]
    pub fn is_online(&self, #[wasm_bindgen(js_name = userId, unchecked_param_type = "Id")] id: JsValue) -> Result<bool, JsError> {
        let shell = self.live()?;
        Ok(shell.key_of(&id, false).is_some_and(|key| shell.with_core(|core| core.presence.contains(&key))))
    }

    /// Calls `callback(users)` whenever who is online changes.
    #[wasm_bindgen(js_name = onPresence, unchecked_return_type = "Unsubscribe")]
    pub fn on_presence(&self, #[wasm_bindgen(unchecked_param_type = "PresenceCallback")] callback: JsValue) -> Result<Function, JsError> {
        self.on_signal(Signal::Presence, callback, "onPresence(callback)")
    }

    // ---- the in-app notification store ----

    /// The in-app notifications, newest first, each plus `read`: the same frozen array until a change.
    #[wasm_bindgen(unchecked_return_type = "readonly StoredNotification[]")]
    pub fn notifications(&self) -> Result<JsValue, JsError> {
        Ok(self.live()?.store().snapshot())
    }

    /// How many in-app notifications are unread.
    #[wasm_bindgen(getter = unreadNotifications)]
    pub fn unread_notifications(&self) -> Result<u32, JsError> {
        Ok(self.live()?.store().unread())
    }

    /// Merges a list fetched over REST (newest first) with what arrived live, by `id`. Throws,
    /// changing nothing, unless every entry is an object.
    #[wasm_bindgen(js_name = setNotifications)]
    pub fn set_notifications(&self, #[wasm_bindgen(unchecked_param_type = "Message[]")] list: JsValue) -> Result<(), JsError> {
        let shell = self.live()?;
        if !shell.store().set_fetched(&list) {
            return Err(JsError::new("setNotifications(list): list must be an array of notification objects"));
        }
        shell.store_changed();
        Ok(())
    }

    /// Marks the in-app notification `id` read.
    #[wasm_bindgen(js_name = markNotificationRead)]
    pub fn mark_notification_read(&self, #[wasm_bindgen(unchecked_param_type = "Id")] id: JsValue) -> Result<(), JsError> {
        self.live()?.change_store(StoreChange::Read, &id, true);
        Ok(())
    }

    /// Marks every in-app notification read.
    #[wasm_bindgen(js_name = markAllNotificationsRead)]
    pub fn mark_all_notifications_read(&self) -> Result<(), JsError> {
        self.live()?.change_store(StoreChange::All, &JsValue::NULL, true);
        Ok(())
    }

    /// Removes the in-app notification `id`.
    #[wasm_bindgen(js_name = removeNotification)]
    pub fn remove_notification(&self, #[wasm_bindgen(unchecked_param_type = "Id")] id: JsValue) -> Result<(), JsError> {
        self.live()?.change_store(StoreChange::Remove, &id, true);
        Ok(())
    }

    /// Calls `callback(notifications)` whenever the in-app store changes.
    #[wasm_bindgen(js_name = onNotifications, unchecked_return_type = "Unsubscribe")]
    pub fn on_notifications(&self, #[wasm_bindgen(unchecked_param_type = "NotificationsCallback")] callback: JsValue) -> Result<Function, JsError> {
        self.on_signal(Signal::Notifications, callback, "onNotifications(callback)")
    }
}

impl RealtimeContext {
    fn on_signal(&self, signal: Signal, callback: JsValue, name: &str) -> Result<Function, JsError> {
        let shell = self.live()?;
        Ok(shell.subscribe(Topic::Signal(signal), function(callback, name)?))
    }

}

/// A small allocator: the per-message path allocates little, and dlmalloc's speed on many
/// allocations is not worth its 8 KB of wasm. Its two entry points are kept out of line: inlined
/// into every drop, the free-list code cost kilobytes.
#[cfg(target_arch = "wasm32")]
struct Allocator(lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator>);

#[cfg(target_arch = "wasm32")]
unsafe impl ::core::alloc::GlobalAlloc for Allocator {
    #[inline(never)]
    unsafe fn alloc(&self, layout: ::core::alloc::Layout) -> *mut u8 {
        self.0.alloc(layout)
    }
    #[inline(never)]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: ::core::alloc::Layout) {
        self.0.dealloc(ptr, layout)
    }
}

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: Allocator = Allocator(unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) });
