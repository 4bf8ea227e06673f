//! Typing, presence and read receipts in the browser: the field names they read and write,
//! the frames they send, and what the core's [`Live`] changes become.

use crate::prelude::*;

use js_sys::{Array, JsString};
use wasm_bindgen::prelude::*;

use crate::core::client::{Live, UserOf};
use crate::core::key::Key;
use crate::core::options::Options;
use crate::core::router::Signal;

use super::js::{field, object, stringify, with_names};
use super::shell::{now, Shell};

/// The field names of the `typing`, `presence` and `readReceipts` options.
pub(crate) struct LiveKeys {
    /// Typing frames: route value, typist field, flag field.
    typing: Option<[JsValue; 3]>,
    /// Presence: user field, the snapshot's list field.
    presence: Option<[JsValue; 2]>,
    /// Receipts: route value, last-id field, the messages' id field.
    receipts: Option<[JsValue; 3]>,
}

impl LiveKeys {
    /// The names `options` gives.
    pub(crate) fn new(options: &Options) -> LiveKeys {
        let js = JsValue::from_str;
        LiveKeys {
            typing: options.typing.as_ref().map(|t| [js(&t.route), js(&t.user_key), js(&t.flag_key)]),
            presence: options.presence.as_ref().map(|p| [js(&p.user_key), js(&p.users_key)]),
            receipts: options.read_receipts.as_ref().map(|r| [js(&r.route), js(&r.last_id_key), js(&r.id_key)]),
        }
    }

    /// The field naming the user of a typing or presence message.
    fn user_key(&self, of: UserOf) -> Option<&JsValue> {
        match of {
            UserOf::Typing => self.typing.as_ref().map(|[_, user, _]| user),
            UserOf::Presence => self.presence.as_ref().map(|[user, _]| user),
        }
    }
}

/// `Array` of ids.
fn ids<'a>(values: impl Iterator<Item = &'a JsValue>) -> Array {
    let array = Array::new();
    for id in values {
        array.push(id);
    }
    array
}

impl Shell {
    /// The user a typing or presence message names: its key and id as sent.
    pub(super) fn user_of(&self, message: &JsValue, of: UserOf) -> Option<(Key, JsValue)> {
        let id = field(message, self.live_keys.user_key(of)?);
        Some((self.key_of(&id, true)?, id))
    }

    /// Whether a typing message says typing: its flag is not `false`.
    pub(super) fn says_typing(&self, message: &JsValue) -> bool {
        self.live_keys.typing.as_ref().is_none_or(|[_, _, flag]| field(message, flag) != JsValue::FALSE)
    }

    /// The users of a presence snapshot: its list's ids, or objects carrying the user field.
    pub(super) fn snapshot_of(&self, message: &JsValue) -> Vec<(Key, JsValue)> {
        let Some([user, users]) = &self.live_keys.presence else { return Vec::new() };
        let list = field(message, users);
        let mut out = Vec::new();
        let Some(list) = list.dyn_ref::<Array>() else { return out };
        for i in 0..list.length() {
            let entry = list.get(i);
            let id = if entry.is_object() { field(&entry, user) } else { entry };
            if let Some(key) = self.key_of(&id, true) {
                out.push((key, id));
            }
        }
        out
    }

    /// The id of a message, for read receipts.
    pub(super) fn message_id_of(&self, message: &JsValue) -> Option<JsValue> {
        let [_, _, id_key] = self.live_keys.receipts.as_ref()?;
        Some(field(message, id_key)).filter(|id| !id.is_undefined() && !id.is_null())
    }

    /// `setTyping(id, typing)`: writes a start or stop when the rules say so; whether one
    /// went out now.
    pub(crate) fn set_typing(&self, id: &JsValue, key: Key, typing: bool) -> Result<bool, String> {
        let Some([route, _, flag]) = &self.live_keys.typing else {
            return Err("setTyping(conversationId, isTyping): the typing option is off".into());
        };
        let frame = self.core.borrow_mut().set_typing(key, id.clone(), typing, now());
        let Some(typing) = frame else { return Ok(false) };
        let written = self.write_now(route, id, flag, typing);
        self.drive();
        Ok(written)
    }

    /// A typing frame, written now or not at all.
    fn write_now(&self, route: &JsValue, id: &JsValue, flag: &JsValue, typing: bool) -> bool {
        let frame = object(&[(self.route_key(), route.clone()), (&self.conversation_key, id.clone()), (flag, typing.into())]);
        let Some(text) = stringify(&frame).ok().and_then(|t| t.dyn_into::<JsString>().ok()) else { return false };
        self.core.borrow_mut().connection.send_now(text)
    }

    /// The user read conversation `key` in this tab: its receipt, if one is owed, goes out.
    pub(crate) fn read_here(&self, key: Key) {
        self.core.borrow_mut().read(&key, true);
        if self.core.borrow().has_live() {
            self.drive();
        }
    }

    /// Who is typing in conversation `key`.
    pub(crate) fn typing_users(&self, key: Key) -> Array {
        self.with_core(|core| core.typing.as_ref().map_or_else(Array::new, |t| ids(t.users(key))))
    }

    /// Who is online.
    pub(crate) fn online_users(&self) -> Array {
        self.with_core(|core| ids(core.presence.users()))
    }

    /// Carries out a change the core reports: a typing stop to write, a change to tell, a
    /// receipt to send.
    pub(super) fn carry_out(&self, live: Live<JsValue>) {
        match live {
            Live::TypingStop(_, id) => {
                if let Some([route, _, flag]) = &self.live_keys.typing {
                    self.write_now(route, &id, flag, false);
                }
            }
            Live::Typists(key, id) => self.signal(Signal::Typing, || {
                let users = self.typing_users(key);
                with_names(|n| object(&[(&n.conversation_id, id), (&n.users, users.into())]))
            }),
            Live::Presence => self.signal(Signal::Presence, || self.online_users().into()),
            Live::Receipt(conversation, last) => {
                let Some([route, last_id, _]) = &self.live_keys.receipts else { return };
                let frame = object(&[(self.route_key(), route.clone()), (&self.conversation_key, conversation), (last_id, last)]);
                let text = stringify(&frame).ok().and_then(|t| t.dyn_into::<JsString>().ok());
                let full = text.is_some_and(|t| self.core.borrow_mut().connection.send(t).is_err());
                if full {
                    self.report("receipt", &self.queue_full());
                }
            }
        }
    }
}
