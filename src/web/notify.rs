//! Browser notifications: formatted from a message, tagged per conversation so a burst
//! replaces rather than stacks, closed when their conversation becomes active.

use crate::prelude::*;

use core::cell::RefCell;
use alloc::rc::Weak;

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{Notification, NotificationOptions};

use crate::core::key::Key;
use crate::core::options::Notify;

use super::driver::Shell;

/// How many shown notifications keep their click handler; older ones are closed.
const MAX_SHOWN: usize = 50;

/// What a formatter returned, or the default: the fields of one notification.
struct Content {
    title: String,
    body: Option<String>,
    icon: Option<String>,
    tag: Option<String>,
}

struct Shown {
    conversation: Option<Key>,
    tag: Option<String>,
    notification: Notification,
    _on_click: Closure<dyn FnMut()>,
}

/// Raises and tracks browser notifications.
pub struct Notifier {
    title_key: JsValue,
    body_key: JsValue,
    icon: Option<String>,
    formatter: RefCell<Option<Function>>,
    shown: RefCell<Vec<Shown>>,
}

#[wasm_bindgen(inline_js = r#"
let granted = false, watching = false;
function read() { granted = typeof Notification === "function" && Notification.permission === "granted"; }
export function isGranted() { return granted && typeof Notification === "function"; }
export function refreshPermission() {
  read();
  if (!watching) {
    watching = true;
    navigator.permissions?.query({ name: "notifications" }).then((s) => s.addEventListener("change", read), () => {});
  }
}
export function requestPermission() {
  if (typeof Notification !== "function") return Promise.resolve("unsupported");
  return Promise.resolve(Notification.requestPermission()).then((answer) => { read(); return answer; });
}
"#)]
extern "C" {
    /// Whether notifications may be shown. `Notification.permission` costs tens of µs in
    /// Chromium, so it is read when a context is made or the page becomes visible, and
    /// followed through the Permissions API in between.
    #[wasm_bindgen(js_name = isGranted)]
    fn is_granted() -> bool;
    /// Reads the permission again and starts following its changes.
    #[wasm_bindgen(js_name = refreshPermission)]
    pub fn refresh_permission();
    /// `Notification.requestPermission()`, or `"unsupported"` without the API.
    #[wasm_bindgen(js_name = requestPermission)]
    pub fn request_permission() -> js_sys::Promise;
}

fn text(obj: &JsValue, key: &JsValue) -> Option<String> {
    Reflect::get(obj, key).ok().and_then(|v| v.as_string())
}

impl Notifier {
    /// A notifier formatting messages with the `notify` option's keys.
    pub fn new(notify: &Notify) -> Notifier {
        refresh_permission();
        Notifier {
            title_key: JsValue::from_str(&notify.title_key),
            body_key: JsValue::from_str(&notify.body_key),
            icon: notify.icon.clone(),
            formatter: RefCell::new(None),
            shown: RefCell::new(Vec::new()),
        }
    }

    /// `setNotificationFormatter(fn | null)`.
    pub fn set_formatter(&self, formatter: Option<Function>) {
        *self.formatter.borrow_mut() = formatter;
    }

    /// Shows `message` if permission is granted and the formatter does not return null.
    /// `Err` carries what a throwing formatter or constructor threw.
    pub fn show(&self, message: &JsValue, conversation: Option<&Key>, shell: &Weak<Shell>) -> Result<(), JsValue> {
        if !is_granted() {
            return Ok(());
        }
        let Some(content) = self.content(message, conversation)? else { return Ok(()) };
        let options = NotificationOptions::new();
        if let Some(body) = &content.body {
            options.set_body(body);
        }
        if let Some(icon) = &content.icon {
            options.set_icon(icon);
        }
        if let Some(tag) = &content.tag {
            options.set_tag(tag);
        }
        let notification = Notification::new_with_options(&content.title, &options)?;
        let (weak, message, clicked) = (shell.clone(), message.clone(), notification.clone());
        let on_click = Closure::<dyn FnMut()>::new(move || {
            if let Some(window) = web_sys::window() {
                let _ = window.focus();
            }
            clicked.close();
            if let Some(shell) = weak.upgrade() {
                shell.on_notification_click(&message);
            }
        });
        notification.set_onclick(Some(on_click.as_ref().unchecked_ref()));
        let mut shown = self.shown.borrow_mut();
        if content.tag.is_some() {
            shown.retain(|s| s.tag != content.tag);
        }
        if shown.len() >= MAX_SHOWN {
            shown.remove(0).notification.close();
        }
        shown.push(Shown { conversation: conversation.cloned(), tag: content.tag, notification, _on_click: on_click });
        Ok(())
    }

    /// Closes the notifications shown for conversation `key`.
    pub fn close_conversation(&self, key: &Key) {
        self.shown.borrow_mut().retain(|s| {
            let keep = s.conversation.as_ref() != Some(key);
            if !keep {
                s.notification.close();
            }
            keep
        });
    }

    /// The formatter's fields (or the defaults); `None` when the formatter returned null.
    fn content(&self, message: &JsValue, conversation: Option<&Key>) -> Result<Option<Content>, JsValue> {
        let tag = conversation.map(|key| {
            let mut tag = String::from("conversation-");
            key.push_to(&mut tag);
            tag
        });
        let formatter = self.formatter.borrow().clone();
        let Some(formatter) = formatter else {
            return Ok(Some(Content {
                title: text(message, &self.title_key).unwrap_or_else(|| "New message".into()),
                body: text(message, &self.body_key),
                icon: self.icon.clone(),
                tag,
            }));
        };
        let made = formatter.call1(&JsValue::UNDEFINED, message)?;
        if made.is_null() || made.is_undefined() {
            return Ok(None);
        }
        Ok(Some(Content {
            title: text(&made, &"title".into()).unwrap_or_else(|| "New message".into()),
            body: text(&made, &"body".into()),
            icon: text(&made, &"icon".into()).or_else(|| self.icon.clone()),
            tag: text(&made, &"tag".into()).or(tag),
        }))
    }
}

impl Drop for Notifier {
    fn drop(&mut self) {
        for shown in self.shown.get_mut().drain(..) {
            shown.notification.set_onclick(None);
        }
    }
}
