//! The outbox mirrored in `sessionStorage`, so a reload loses nothing the user sent.
//!
//! Each context keeps its frames under `realtime-context:outbox:<url>\n<userKey>#<n>` (never the
//! token), `n` being its number in the page. A new context adopts every stored outbox of its
//! url and user that no live context of the page owns: those of the page before a reload.

use crate::prelude::*;

use js_sys::{Array, JsString};
use wasm_bindgen::prelude::*;
use web_sys::Storage;

use crate::core::outbox::Entry;
use crate::core::text::push_decimal;

use super::js::{parse_json, stringify};

const PREFIX: &str = "realtime-context:outbox:";

/// A frame read back: the frame and its `client_id` if it was acknowledged.
pub(crate) type Restored = (JsString, Option<Box<str>>);

/// One context's place in `sessionStorage`.
pub(crate) struct StoredOutbox {
    storage: Storage,
    /// `PREFIX` + url + `\n` + user + `#`: what every key of this url and user starts with.
    base: String,
    key: String,
    /// Nothing is stored under `key` (so an empty outbox needs no write).
    empty: core::cell::Cell<bool>,
}

impl StoredOutbox {
    /// The stored outbox of context number `n` for `url` and `user`; `None` where the page
    /// has no `sessionStorage` (or refuses it).
    pub(crate) fn open(url: &str, user: Option<&str>, n: u32) -> Option<StoredOutbox> {
        let storage = web_sys::window()?.session_storage().ok()??;
        let base = String::from(PREFIX) + url + "\n" + user.unwrap_or("") + "#";
        let mut key = base.clone();
        push_decimal(&mut key, n as u64);
        Some(StoredOutbox { storage, base, key, empty: core::cell::Cell::new(true) })
    }

    /// Takes every stored outbox of this url and user that `is_live` does not claim (by
    /// context number), oldest context first, and removes it from storage.
    pub(crate) fn adopt(&self, is_live: impl Fn(u32, &str) -> bool) -> Vec<Restored> {
        let mut found: Vec<(u32, String)> = Vec::new();
        let length = self.storage.length().unwrap_or(0);
        for i in 0..length {
            let Some(key) = self.storage.key(i).ok().flatten() else { continue };
            let Some(n) = key.strip_prefix(self.base.as_str()).and_then(|n| n.parse::<u32>().ok()) else { continue };
            if !is_live(n, &key) {
                let at = found.iter().position(|(m, _)| *m > n).unwrap_or(found.len());
                found.insert(at, (n, key));
            }
        }
        let mut frames = Vec::new();
        for (_, key) in found {
            if let Some(text) = self.storage.get_item(&key).ok().flatten() {
                read_into(&text, &mut frames);
            }
            let _ = self.storage.remove_item(&key);
        }
        frames
    }

    /// This context's key.
    pub(crate) fn key(&self) -> &str {
        &self.key
    }

    /// Stores `entries` (removes the key when there are none); `Err` is what storage threw
    /// (a full quota).
    pub(crate) fn save<'a>(&self, entries: impl Iterator<Item = &'a Entry<JsString>>) -> Result<(), JsValue> {
        let list = Array::new();
        for entry in entries {
            let id = entry.ack.as_ref().map_or(JsValue::NULL, |a| JsValue::from_str(&a.id));
            list.push(&Array::of2(&entry.frame, &id));
        }
        if list.length() == 0 {
            if !self.empty.replace(true) {
                self.storage.remove_item(&self.key)?;
            }
            return Ok(());
        }
        let text = stringify(&list)?.as_string().unwrap_or_default();
        self.storage.set_item(&self.key, &text)?;
        self.empty.set(false);
        Ok(())
    }

    /// Removes this context's frames from storage.
    pub(crate) fn clear(&self) {
        let _ = self.storage.remove_item(&self.key);
        self.empty.set(true);
    }
}

/// Appends the frames of one stored outbox; entries that are not `[frame, id | null]` are
/// skipped (storage is the page's: anything may be there).
fn read_into(text: &str, frames: &mut Vec<Restored>) {
    let Ok(list) = parse_json(&JsValue::from_str(text)) else { return };
    if !Array::is_array(&list) {
        return;
    }
    for item in Array::from(&list).iter() {
        if !Array::is_array(&item) {
            continue;
        }
        let pair = Array::from(&item);
        let (frame, id) = (pair.get(0), pair.get(1));
        if let Some(frame) = frame.dyn_ref::<JsString>() {
            frames.push((frame.clone(), id.as_string().map(Into::into)));
        }
    }
}
