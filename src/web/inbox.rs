//! Unread counts, the active conversation and the in-app notification store, as JS sees them.

use crate::prelude::*;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::key::Key;
use crate::core::router::Signal;
use crate::core::text::push_decimal;
use crate::core::unread::UnreadChange;

use super::decode::id_key;
use super::driver::Shell;
use super::js::object;

/// The key of a notification object: its `id`, or a key of its own when it has none.
fn notification_key(shell: &Shell, notification: &JsValue) -> Key {
    match Reflect::get(notification, &"id".into()).ok().and_then(|id| id_key(&id)) {
        Some(key) => key,
        None => {
            let mut anonymous = String::from("\u{0}anonymous-");
            push_decimal(&mut anonymous, shell.next_anonymous() as u64);
            Key::Text(anonymous.into())
        }
    }
}

fn read_flag(notification: &JsValue) -> bool {
    ["read", "is_read"].iter().any(|k| Reflect::get(notification, &(*k).into()).ok().and_then(|v| v.as_bool()) == Some(true))
}

impl Shell {
    /// `setActiveConversation(id | null)`: zeroes its count and closes its notifications.
    pub fn set_active_conversation(&self, id: JsValue) -> Result<(), String> {
        let active = match id.is_null() || id.is_undefined() {
            true => None,
            false => Some((id_key(&id).ok_or("setActiveConversation(id): id must be a string, a finite number or null")?, id)),
        };
        let key = active.as_ref().map(|(k, _)| k.clone());
        let change = self.core.borrow_mut().unread.set_active(active);
        self.after_read(key.as_ref(), change);
        Ok(())
    }

    /// `activeConversation`: the id as given, or null.
    pub fn active_conversation(&self) -> JsValue {
        self.core.borrow().unread.active().map_or(JsValue::NULL, |(_, id)| id.clone())
    }

    /// `unreadCount(id)`: 0 for an unknown or invalid id.
    pub fn unread_count(&self, id: &JsValue) -> u32 {
        id_key(id).map_or(0, |key| self.core.borrow().unread.count(&key))
    }

    /// `totalUnread`.
    pub fn total_unread(&self) -> u64 {
        self.core.borrow().unread.total()
    }

    /// `markRead(id)`.
    pub fn mark_read(&self, id: &JsValue) {
        let Some(key) = id_key(id) else { return };
        let change = self.core.borrow_mut().unread.mark_read(&key);
        self.after_read(Some(&key), change);
    }

    /// The page's visibility changed; once visible, the active conversation is seen.
    pub fn on_visibility(&self, visible: bool) {
        self.visible.set(visible);
        if !visible {
            return;
        }
        super::notify::refresh_permission();
        let key = self.core.borrow().unread.active().map(|(k, _)| k.clone());
        if let Some(key) = key {
            let change = self.core.borrow_mut().unread.mark_read(&key);
            self.after_read(Some(&key), change);
        }
    }

    fn after_read(&self, key: Option<&Key>, change: Option<UnreadChange<JsValue>>) {
        if let (Some(key), Some(notifier)) = (key, &self.notifier) {
            notifier.close_conversation(key);
        }
        if let Some(change) = change {
            self.unread_changed(change);
        }
    }

    /// Tells the `onUnread` listeners.
    pub(super) fn unread_changed(&self, change: UnreadChange<JsValue>) {
        self.deliver_signal(Signal::Unread, || {
            object(&[
                ("conversationId", change.id),
                ("count", JsValue::from(change.count)),
                ("total", JsValue::from_f64(change.total as f64)),
            ])
        });
    }

    /// `setNotificationFormatter()`; nothing to format with `notify: false`.
    pub fn set_notification_formatter(&self, formatter: Option<js_sys::Function>) {
        if let Some(notifier) = &self.notifier {
            notifier.set_formatter(formatter);
        }
    }

    /// A browser notification was clicked.
    pub fn on_notification_click(&self, message: &JsValue) {
        self.deliver_signal(Signal::NotificationClick, || message.clone());
    }

    // ---- the in-app notification store ----

    /// A notification message arrived: its `notificationKey` object (or the message itself).
    pub(super) fn store_live(&self, message: &JsValue) {
        let notification = Reflect::get(message, &self.notification_key).ok().filter(JsValue::is_object).unwrap_or_else(|| message.clone());
        let key = notification_key(self, &notification);
        let read = read_flag(&notification);
        self.core.borrow_mut().inbox.add_live(key, notification, read);
        self.inbox_changed();
    }

    /// `setNotifications(list)`: merges a REST fetch with what arrived live.
    pub fn set_notifications(&self, list: &JsValue) -> Result<(), String> {
        if !Array::is_array(list) {
            return Err("setNotifications(list): list must be an array of notification objects".into());
        }
        let fetched: Vec<(Key, JsValue, bool)> = Array::from(list)
            .iter()
            .filter(JsValue::is_object)
            .map(|n| (notification_key(self, &n), read_flag(&n), n))
            .map(|(key, read, n)| (key, n, read))
            .collect();
        self.core.borrow_mut().inbox.set_fetched(fetched);
        self.inbox_changed();
        Ok(())
    }

    /// `markNotificationRead(id)`.
    pub fn mark_notification_read(&self, id: &JsValue) {
        let changed = id_key(id).is_some_and(|key| self.core.borrow_mut().inbox.mark_read(&key));
        if changed {
            self.inbox_changed();
        }
    }

    /// `markAllNotificationsRead()`.
    pub fn mark_all_notifications_read(&self) {
        if self.core.borrow_mut().inbox.mark_all_read() {
            self.inbox_changed();
        }
    }

    /// `removeNotification(id)`.
    pub fn remove_notification(&self, id: &JsValue) {
        let changed = id_key(id).is_some_and(|key| self.core.borrow_mut().inbox.remove(&key));
        if changed {
            self.inbox_changed();
        }
    }

    /// `unreadNotifications`.
    pub fn unread_notifications(&self) -> usize {
        self.core.borrow().inbox.unread()
    }

    /// `notifications()`: newest first, each the server's object plus `read`. The same array
    /// comes back until the store changes (a stable snapshot for React).
    pub fn notifications(&self) -> JsValue {
        if let Some(snapshot) = self.inbox_snapshot.borrow().as_ref() {
            return snapshot.clone();
        }
        let list = Array::new();
        for item in self.core.borrow().inbox.items() {
            let copy = Object::assign(&Object::new(), item.value.unchecked_ref());
            let _ = Reflect::set(&copy, &"read".into(), &JsValue::from_bool(item.read));
            list.push(&copy);
        }
        let list: JsValue = Object::freeze(&list).into();
        *self.inbox_snapshot.borrow_mut() = Some(list.clone());
        list
    }

    fn inbox_changed(&self) {
        self.inbox_snapshot.borrow_mut().take();
        self.deliver_signal(Signal::Notifications, || self.notifications());
    }
}
