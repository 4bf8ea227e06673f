//! The in-app notification store as the browser holds it: the server's objects in the core's
//! [`Inbox`], and the frozen array `notifications()` hands out until the store changes.

use crate::prelude::*;

use core::cell::{Cell, RefCell};

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::inbox::{Id, Inbox};
use crate::core::key::{canonical_integer, safe_integer};

use super::js::{as_safe_integer, field, to_js_string, with_names};

/// The id of a JS value, as the store compares ids (`123` and `"123"` are one); `None` when
/// it is neither a string nor a finite number.
pub(crate) fn id_of(value: &JsValue) -> Option<Id> {
    if let Some(i) = as_safe_integer(value) {
        return Some(Id::Int(i));
    }
    if let Some(n) = value.as_f64() {
        if let Some(i) = safe_integer(n) {
            return Some(Id::Int(i));
        }
        let text = to_js_string(value).ok().filter(|_| n.is_finite())?;
        return Some(Id::Text(String::from(text).into()));
    }
    let text = value.as_string()?;
    Some(canonical_integer(&text).map_or_else(|| Id::Text(text.into()), Id::Int))
}

/// Whether a notification object says it was read (`read` or `is_read` is `true`).
fn is_read(notification: &JsValue) -> bool {
    with_names(|n| [&n.read, &n.is_read].iter().any(|key| field(notification, key).as_bool() == Some(true)))
}

/// A change the user makes to the store, which every tab sharing the socket applies.
#[derive(Clone, Copy)]
pub(crate) enum StoreChange {
    /// `markNotificationRead(id)`.
    Read,
    /// `markAllNotificationsRead()`.
    All,
    /// `removeNotification(id)`.
    Remove,
}

impl StoreChange {
    /// Its name in the tabs' messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            StoreChange::Read => "read",
            StoreChange::All => "all",
            StoreChange::Remove => "remove",
        }
    }

    /// The change a tabs' message names.
    pub(crate) fn named(name: &str) -> Option<StoreChange> {
        [StoreChange::Read, StoreChange::All, StoreChange::Remove].into_iter().find(|c| c.name() == name)
    }

    /// Applies it to `inbox` (`id` for `Read` and `Remove`); whether anything changed.
    fn apply(self, inbox: &mut Inbox<JsValue>, id: Option<Id>) -> bool {
        match self {
            StoreChange::Read => id.is_some_and(|id| inbox.mark_read(&id)),
            StoreChange::Remove => id.is_some_and(|id| inbox.remove(&id)),
            StoreChange::All => inbox.mark_all_read(),
        }
    }
}

/// One context's store.
pub(crate) struct Store {
    inbox: RefCell<Inbox<JsValue>>,
    snapshot: RefCell<Option<JsValue>>,
    anonymous: Cell<u32>,
}

impl Store {
    /// An empty store of at most `max` notifications.
    pub(crate) fn new(max: usize) -> Store {
        Store { inbox: RefCell::new(Inbox::new(max)), snapshot: RefCell::new(None), anonymous: Cell::new(0) }
    }

    /// The store's id of a notification object: its `id`, or one of its own without one.
    fn id(&self, notification: &JsValue) -> Id {
        let id = with_names(|n| field(notification, &n.id));
        id_of(&id).unwrap_or_else(|| {
            self.anonymous.set(self.anonymous.get() + 1);
            Id::Anonymous(self.anonymous.get())
        })
    }

    /// A notification that arrived on the socket.
    pub(crate) fn add_live(&self, notification: JsValue) {
        let (id, read) = (self.id(&notification), is_read(&notification));
        self.inbox.borrow_mut().add_live(id, notification, read);
        self.changed();
    }

    /// `setNotifications(list)`: `false`, changing nothing, unless `list` is an array of objects.
    pub(crate) fn set_fetched(&self, list: &JsValue) -> bool {
        if !Array::is_array(list) {
            return false;
        }
        let list: Vec<JsValue> = Array::from(list).iter().collect();
        if !list.iter().all(|n| n.is_object()) {
            return false;
        }
        let items: Vec<(Id, JsValue, bool)> = list.into_iter().map(|n| (self.id(&n), is_read(&n), n)).map(|(id, read, n)| (id, n, read)).collect();
        self.inbox.borrow_mut().set_fetched(items);
        self.changed();
        true
    }

    /// Applies `change` (of notification `id`, for one); whether the store changed.
    pub(crate) fn change(&self, change: StoreChange, id: Option<Id>) -> bool {
        let changed = change.apply(&mut self.inbox.borrow_mut(), id);
        if changed {
            self.changed();
        }
        changed
    }

    /// How many are unread.
    pub(crate) fn unread(&self) -> u32 {
        self.inbox.borrow().unread() as u32
    }

    /// The notifications, newest first, each the server's object plus `read`: one frozen
    /// array until the store changes.
    pub(crate) fn snapshot(&self) -> JsValue {
        if let Some(snapshot) = &*self.snapshot.borrow() {
            return snapshot.clone();
        }
        let array = Array::new();
        with_names(|n| {
            for item in self.inbox.borrow().items() {
                let copy = Object::assign(&Object::new(), item.value.unchecked_ref());
                let _ = Reflect::set(&copy, &n.read, &JsValue::from_bool(item.read));
                array.push(&copy);
            }
        });
        let frozen: JsValue = Object::freeze(&array).into();
        *self.snapshot.borrow_mut() = Some(frozen.clone());
        frozen
    }

    fn changed(&self) {
        self.snapshot.borrow_mut().take();
    }
}
