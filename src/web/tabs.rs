//! One socket for all tabs of a user: the Web Lock that makes one tab the leader, the
//! `BroadcastChannel` the tabs talk over, and what a tab does with what it hears. The rules
//! (who notifies, what counts as seen, how many tabs) are the core's (`core::tabs`).
//!
//! Messages (plain objects, field `t`): `frame` (leader → all: a frame of the socket),
//! `state` (leader → all: its `state` and the number of tabs), `send` (follower → leader: a
//! frame to write), `hello` / `view` / `bye` (a tab arrives, shows a conversation, leaves),
//! `read` (a conversation was read), `store` (an in-app notification was read or removed),
//! `leaving` (the leader's page is going away), `logout` (every tab disconnects).

use crate::prelude::*;

use alloc::rc::Weak;
use core::cell::RefCell;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, BroadcastChannel, MessageEvent};

use crate::core::key::Key;
use crate::core::router::Signal;
use crate::core::connection::ABNORMAL_CLOSE_CODE;
use crate::core::tabs::{self, Role, Step};
use crate::core::text::push_decimal;

use super::js::{field, object};
use super::shell::{now, Shell};
use super::store::StoreChange;

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks`, as far as the election needs it (web-sys binds it only as an
    /// unstable API).
    type Locks;
    /// `locks.request(name, options, callback)`: `callback` runs once the lock is held, which
    /// lasts until the Promise it returns settles.
    #[wasm_bindgen(method, catch)]
    fn request(this: &Locks, name: &str, options: &JsValue, callback: &Function) -> Result<Promise, JsValue>;
}

/// `navigator.locks`, where it exists.
fn locks() -> Option<Locks> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok().filter(|l| l.is_object())?;
    Some(locks.unchecked_into())
}

/// Whether this browser can share a socket between tabs.
pub(crate) fn supported() -> bool {
    locks().is_some() && Reflect::get(&js_sys::global(), &"BroadcastChannel".into()).is_ok_and(|c| c.is_function())
}

/// This tab's link to the others; dropping it leaves: the lock is released, the channel closed.
pub(crate) struct TabLink {
    channel: BroadcastChannel,
    /// This tab's id in the messages.
    pub(crate) tab: f64,
    abort: AbortController,
    /// Settles the Promise that holds the lock, once it is held.
    release: RefCell<Option<Function>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_lock: Closure<dyn FnMut(JsValue) -> Promise>,
    _on_pagehide: Closure<dyn FnMut()>,
}

impl TabLink {
    /// Joins the tabs of `url` and `user`: listens on their channel and queues for their lock.
    pub(crate) fn join(url: &str, user: &str, shell: Weak<Shell>) -> Option<TabLink> {
        let mut name = String::from("realtime-context:");
        push_decimal(&mut name, tabs::channel_name(url, user));
        let channel = BroadcastChannel::new(&name).ok()?;
        let weak = shell.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(shell) = weak.upgrade() {
                shell.on_tab_message(&event.data());
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let weak = shell.clone();
        let on_lock = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |_lock: JsValue| {
            let mut release = None;
            let held = Promise::new(&mut |resolve, _| release = Some(resolve));
            if let Some(shell) = weak.upgrade() {
                shell.became_leader(release);
            }
            held
        });
        let weak = shell;
        let on_pagehide = Closure::<dyn FnMut()>::new(move || {
            if let Some(shell) = weak.upgrade() {
                shell.leaving();
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.add_event_listener_with_callback("pagehide", on_pagehide.as_ref().unchecked_ref());
        }
        let abort = AbortController::new().ok()?;
        let options = object(&[(&"signal".into(), abort.signal().into())]);
        let requested = locks()?.request(&name, &options, on_lock.as_ref().unchecked_ref()).ok()?;
        // The request rejects when it is aborted (this tab left before its turn), which needs
        // no handling: the global `Boolean` takes the rejection, so no closure outlives the link.
        let catch = Reflect::get(&requested, &"catch".into()).ok().and_then(|c| c.dyn_into::<Function>().ok());
        if let (Some(catch), Ok(boolean)) = (catch, Reflect::get(&js_sys::global(), &"Boolean".into())) {
            let _ = catch.call1(&requested, &boolean);
        }
        let tab = (js_sys::Math::random() * 9_007_199_254_740_992.0).floor();
        Some(TabLink {
            channel,
            tab,
            abort,
            release: RefCell::new(None),
            _on_message: on_message,
            _on_lock: on_lock,
            _on_pagehide: on_pagehide,
        })
    }

    /// Keeps what releases the lock this tab now holds.
    pub(crate) fn hold(&self, release: Option<Function>) {
        *self.release.borrow_mut() = release;
    }

    /// Posts `message` to the other tabs.
    pub(crate) fn post(&self, message: &JsValue) {
        let _ = self.channel.post_message(message);
    }
}

impl Drop for TabLink {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
        self.abort.abort();
        if let Some(release) = self.release.take() {
            let _ = release.call0(&JsValue::UNDEFINED);
        }
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback("pagehide", self._on_pagehide.as_ref().unchecked_ref());
        }
    }
}

impl Shell {
    /// Posts `{t: kind, from: this tab, ...fields}` to the other tabs, when sharing.
    fn post(&self, kind: &str, fields: &[(&str, JsValue)]) {
        if let Some(link) = self.tabs.borrow().as_ref() {
            let msg = object(&[(&"t".into(), kind.into()), (&"from".into(), link.tab.into())]);
            for (key, value) in fields {
                let _ = Reflect::set(&msg, &(*key).into(), value);
            }
            link.post(&msg);
        }
    }

    /// Whether this tab writes through the leader.
    pub(crate) fn is_follower(&self) -> bool {
        self.core.borrow().relay.role == Role::Follower
    }

    /// The lock is ours: this tab owns the socket from now on (reconnecting if it was asked to
    /// connect), resumes from the last id every tab saw, and tells the others.
    fn became_leader(&self, release: Option<Function>) {
        if self.freed.get() {
            if let Some(release) = release {
                let _ = release.call0(&JsValue::UNDEFINED);
            }
            return;
        }
        if let Some(link) = self.tabs.borrow().as_ref() {
            link.hold(release);
        }
        *self.leader_state.borrow_mut() = JsValue::UNDEFINED;
        self.input(|core, now| {
            // The tabs answer the hello below: the count starts from those still there.
            core.peers.clear();
            let (relay, wants) = core.relay.became_leader();
            if let Some(generation) = relay {
                core.connection.handle_close(generation, ABNORMAL_CLOSE_CODE, now);
            }
            if wants {
                core.connection.retry(now);
            }
        });
        self.announce_state();
        self.post("hello", &[("view", self.view())]);
    }

    /// This tab's page is going away (or its context is freed): a leader's followers stop
    /// writing through it until a new one opens, and every tab forgets this one.
    fn leaving(&self) {
        if self.core.borrow().relay.role == Role::Leader {
            self.post("leaving", &[]);
        }
        self.post("bye", &[]);
    }

    /// Joins the other tabs at construction (the lock may come at once, a moment later).
    pub(crate) fn join_tabs(&self, url: &str, user: &str) {
        let link = TabLink::join(url, user, self.weak());
        if link.is_none() {
            return;
        }
        *self.tabs.borrow_mut() = link;
        self.core.borrow_mut().relay = tabs::Relay::new(Role::Follower);
        self.post("hello", &[("view", self.view())]);
    }

    /// Leaves the other tabs (at `free()`): the lock, if held, goes to the next tab.
    pub(crate) fn leave_tabs(&self) {
        self.leaving();
        self.tabs.borrow_mut().take();
    }

    /// The conversation this tab shows, as text, if it is visible; else `null`.
    fn view(&self) -> JsValue {
        let active = self.core.borrow().unread.active().map(|(key, _)| *key);
        match tabs::view(active, self.visible.get()) {
            Some(key) => self.key_text(key).into(),
            None => JsValue::NULL,
        }
    }

    /// Tells the others what this tab shows now.
    pub(crate) fn share_view(&self) {
        self.post("view", &[("view", self.view())]);
    }

    /// Tells the others that conversation `key` was read.
    pub(crate) fn share_read(&self, key: Key) {
        self.post("read", &[("conv", self.key_text(key).into())]);
    }

    /// Tells the others of a change to the in-app store: `op` `read`, `all` or `remove`.
    pub(crate) fn share_store(&self, op: &str, id: &JsValue) {
        self.post("store", &[("op", op.into()), ("id", id.clone())]);
    }

    /// `logoutEverywhere()`: every tab of this user disconnects.
    pub(crate) fn logout_everywhere(&self) {
        self.post("logout", &[]);
        self.disconnect();
    }

    /// The leader relays a text frame of its socket to the others: always, since a tab that
    /// has not announced itself yet (just after a hand-over) must not miss it.
    pub(crate) fn relay_frame(&self, data: &JsValue) {
        if self.core.borrow().relay.role == Role::Leader {
            self.post("frame", &[("data", data.clone())]);
        }
    }

    /// The leader tells the others its `state` and the number of tabs.
    pub(crate) fn announce_state(&self) {
        let (leader, tabs) = {
            let core = self.core.borrow();
            (core.relay.role == Role::Leader, core.peers.len() + 1)
        };
        if leader {
            self.post("state", &[("state", self.state()), ("tabs", (tabs as u32).into())]);
        }
    }

    /// How many tabs share the socket (1 when not sharing).
    pub(crate) fn tab_count(&self) -> u32 {
        let core = self.core.borrow();
        match core.relay.role {
            Role::Follower => self.follower_tabs.get().max(1),
            _ => core.peers.len() as u32 + 1,
        }
    }

    /// Something another tab posted.
    fn on_tab_message(&self, data: &JsValue) {
        if self.freed.get() || !data.is_object() {
            return;
        }
        let Some(kind) = field(data, &"t".into()).as_string() else { return };
        let from = field(data, &"from".into()).as_f64().map_or(0, |f| f as u64);
        let follower = self.is_follower();
        match kind.as_str() {
            "frame" if follower => self.on_relayed_frame(&field(data, &"data".into())),
            "state" if follower => self.on_leader_state(&field(data, &"state".into()), field(data, &"tabs".into()).as_f64()),
            "send" if !follower => {
                if let Ok(frame) = field(data, &"data".into()).dyn_into::<js_sys::JsString>() {
                    if let Err(error) = self.send(frame) {
                        self.report("tabs", &error);
                    }
                }
            }
            "hello" | "view" => {
                let key = self.key_of(&field(data, &"view".into()), true);
                let joined = {
                    let peers = &mut self.core.borrow_mut().peers;
                    let before = peers.len();
                    peers.set_view(from, key);
                    peers.len() != before
                };
                if kind == "hello" {
                    self.share_view();
                }
                if joined || kind == "hello" {
                    self.announce_state();
                }
            }
            "bye" => {
                self.core.borrow_mut().peers.forget(from);
                self.announce_state();
            }
            "leaving" if follower => self.relay_closed(),
            "read" => {
                if let Some(key) = self.key_of(&field(data, &"conv".into()), false) {
                    let change = self.with_core(|core| {
                        core.read(&key, false);
                        core.unread.mark_read(&key)
                    });
                    self.after_read(Some(key), change);
                }
            }
            "store" => {
                if let Some(change) = field(data, &"op".into()).as_string().as_deref().and_then(StoreChange::named) {
                    self.change_store(change, &field(data, &"id".into()), false);
                }
            }
            "logout" => self.disconnect(),
            _ => {}
        }
    }

    /// A frame of the leader's socket: counted and routed as if this tab's socket had it.
    fn on_relayed_frame(&self, data: &JsValue) {
        if !data.is_string() {
            return;
        }
        {
            let mut core = self.core.borrow_mut();
            core.stats.messages_in += 1;
            core.stats.bytes_in += data.unchecked_ref::<super::js::Fields>().length() as u64;
            if let Some(generation) = core.relay.generation() {
                core.connection.handle_frame(generation);
            }
        }
        self.receive(data);
    }

    /// The leader's `state`: mirrored here, and the relay opens or closes with its socket.
    fn on_leader_state(&self, state: &JsValue, tabs: Option<f64>) {
        if !state.is_object() {
            return;
        }
        *self.leader_state.borrow_mut() = state.clone();
        self.follower_tabs.set(tabs.unwrap_or(1.0) as u32);
        let open = field(state, &"status".into()).as_string().as_deref() == Some("open");
        self.signal(Signal::State, || state.clone());
        let step = self.core.borrow_mut().relay.leader(open);
        self.take_step(step);
    }

    /// The leader's page left: this tab's relay closes (sends queue here).
    fn relay_closed(&self) {
        let step = self.core.borrow_mut().relay.leader(false);
        self.take_step(step);
    }

    /// Tells the connection what the relay did.
    fn take_step(&self, step: Step) {
        match step {
            Step::Stay => {}
            Step::Open(generation) => self.input(|core, now| core.connection.handle_open(generation, now)),
            Step::Close(generation) => self.input(|core, now| core.connection.handle_close(generation, ABNORMAL_CLOSE_CODE, now)),
            Step::Retry => self.input(|core, now| core.connection.retry(now)),
        }
    }

    /// A follower's connection "opens a socket": the relay, open at once if the leader's is
    /// (the driver is running: the open is handed straight to the connection).
    pub(crate) fn open_relay(&self, generation: u32) {
        let mut core = self.core.borrow_mut();
        if let Step::Open(generation) = core.relay.requested(generation) {
            core.connection.handle_open(generation, now());
        }
    }

    /// A follower writes a frame through the leader: `false` while the leader's socket is not open.
    pub(crate) fn write_relayed(&self, frame: &JsValue) -> bool {
        if !self.core.borrow().relay.writable() {
            return false;
        }
        self.post("send", &[("data", frame.clone())]);
        true
    }
}
