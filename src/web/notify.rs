//! Browser notifications: formatted from a message, tagged per conversation so a burst
//! replaces rather than stacks, closed when their conversation becomes active, and rate
//! limited (the core's [`Limiter`](crate::core::limit::Limiter)): beyond the limit one "N new messages" summary is replaced.

use crate::prelude::*;

use core::cell::{Cell, RefCell};

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{Notification, NotificationOptions, NotificationPermission};

use crate::core::key::Key;
use crate::core::limit::Admit;
use crate::core::options::Notify;
use crate::core::text::push_decimal;

use super::js::{given, path, text_field, value_at, with_names};
use super::shell::{now, Shell};

/// How many shown notifications keep their click handler; older ones are closed.
const MAX_SHOWN: usize = 50;
/// The tag of the summary shown beyond the rate limit.
const SUMMARY_TAG: &str = "realtime-context-summary";

std::thread_local! {
    /// Whether the permission was granted when last read. `Notification.permission` costs tens
    /// of µs in Chromium, so it is read when a context is made, when the page becomes visible
    /// and after a request, never per message.
    static GRANTED: Cell<bool> = const { Cell::new(false) };
}

/// Whether the page has a `Notification` API (a page or test may remove it).
fn api_exists() -> bool {
    Reflect::get(&js_sys::global(), &JsValue::from_str("Notification")).is_ok_and(|n| n.is_function())
}

/// Reads the permission again.
pub(crate) fn refresh_permission() {
    GRANTED.set(api_exists() && Notification::permission() == NotificationPermission::Granted);
}

/// Whether notifications may be shown now.
fn permitted() -> bool {
    GRANTED.get() && api_exists()
}

/// `Notification.requestPermission()` as a Promise of its answer, or of `"unsupported"`
/// without the API; the permission is read again once answered.
pub(crate) fn request_permission() -> Promise {
    future_to_promise(async {
        if !api_exists() {
            return Ok(JsValue::from_str("unsupported"));
        }
        let answer = JsFuture::from(Notification::request_permission()?).await?;
        refresh_permission();
        Ok(answer)
    })
}

/// The string at `path` in `message`, if there is one.
fn text_at(message: &JsValue, path: &[JsValue]) -> Option<String> {
    value_at(message, path)?.as_string()
}

/// What a formatter returned, or the default: the fields of one notification.
struct Content {
    title: String,
    body: Option<String>,
    icon: Option<String>,
    tag: Option<String>,
}

/// A notification on screen, with the click handler it owns.
struct Shown {
    conversation: Option<Key>,
    tag: Option<String>,
    notification: Notification,
    _on_click: Closure<dyn FnMut()>,
}

/// Raises and tracks the browser notifications of one context.
pub(crate) struct Notifier {
    /// The title's and the body's field paths (`notification.title`: one key per level).
    title_key: Vec<JsValue>,
    body_key: Vec<JsValue>,
    icon: Option<String>,
    formatter: RefCell<Option<Function>>,
    shown: RefCell<Vec<Shown>>,
    disposed: Cell<bool>,
}

impl Notifier {
    /// A notifier formatting messages with the `notify` option's keys.
    pub(crate) fn new(notify: &Notify) -> Notifier {
        refresh_permission();
        Notifier {
            title_key: path(&notify.title_key),
            body_key: path(&notify.body_key),
            icon: notify.icon.clone(),
            formatter: RefCell::new(None),
            shown: RefCell::new(Vec::new()),
            disposed: Cell::new(false),
        }
    }

    /// `setNotificationFormatter(fn | null)`.
    pub(crate) fn set_formatter(&self, formatter: Option<Function>) {
        *self.formatter.borrow_mut() = formatter;
    }

    /// Shows `message` of conversation `key` if the permission is granted and the formatter
    /// does not return null; a click tells `shell`. `Err` carries what a throwing formatter or
    /// `Notification` constructor threw.
    pub(crate) fn show(&self, message: &JsValue, key: Option<Key>, shell: &Shell) -> Result<(), JsValue> {
        if !permitted() {
            return Ok(());
        }
        let tag = key.map(|key| String::from("conversation-") + &shell.key_text(key));
        let Some(mut content) = self.content(message, tag)? else { return Ok(()) };
        if self.disposed.get() {
            return Ok(()); // the formatter freed the context
        }
        let mut key = key;
        if let Admit::Coalesce(held_back) = shell.with_core(|core| core.limiter.admit(now())) {
            let mut title = String::new();
            push_decimal(&mut title, held_back as u64);
            title.push_str(if held_back == 1 { " new message" } else { " new messages" });
            content = Content { title, body: None, icon: content.icon, tag: Some(SUMMARY_TAG.into()) };
            key = None;
        }
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
        let (weak, message, clicked) = (shell.weak(), message.clone(), notification.clone());
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
        shown.push(Shown { conversation: key, tag: content.tag, notification, _on_click: on_click });
        Ok(())
    }

    /// Closes the notifications shown for conversation `key`.
    pub(crate) fn close_conversation(&self, key: &Key) {
        let closed: Vec<Shown> = {
            let mut shown = self.shown.borrow_mut();
            let (closed, kept) = core::mem::take(&mut *shown).into_iter().partition(|s| s.conversation.as_ref() == Some(key));
            *shown = kept;
            closed
        };
        closed.iter().for_each(|s| s.notification.close());
    }

    /// Detaches every click handler and forgets the formatter: nothing is called after `free()`.
    pub(crate) fn dispose(&self) {
        self.disposed.set(true);
        for shown in self.shown.take() {
            shown.notification.set_onclick(None);
        }
        self.formatter.take();
    }

    /// The formatter's fields (or the defaults); `None` when the formatter returned null.
    fn content(&self, message: &JsValue, tag: Option<String>) -> Result<Option<Content>, JsValue> {
        let formatter = self.formatter.borrow().clone();
        let Some(formatter) = formatter else {
            return Ok(Some(Content {
                title: text_at(message, &self.title_key).unwrap_or_else(|| "New message".into()),
                body: text_at(message, &self.body_key),
                icon: self.icon.clone(),
                tag,
            }));
        };
        let Some(made) = given(formatter.call1(&JsValue::UNDEFINED, message)?) else { return Ok(None) };
        Ok(Some(with_names(|n| Content {
            title: text_field(&made, &n.title).unwrap_or_else(|| "New message".into()),
            body: text_field(&made, &n.body),
            icon: text_field(&made, &n.icon).or_else(|| self.icon.clone()),
            tag: text_field(&made, &n.tag).or(tag),
        })))
    }
}

impl Drop for Notifier {
    fn drop(&mut self) {
        self.dispose();
    }
}
