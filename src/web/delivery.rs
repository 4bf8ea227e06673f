//! What makes delivery reliable in the browser: acknowledged sends and their Promises, the
//! resume frame, the token provider, and the outbox mirrored in `sessionStorage`.

use crate::prelude::*;

use js_sys::{Function, JsString, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::core::text::push_decimal;

use super::js::{describe, object, stringify};
use super::shell::{now, Shell};

impl Shell {
    /// `sendAcked(data)`: a copy of `data` with a fresh `client_id`, written or queued; the
    /// Promise settles with its ack or its timeout. `Err` names what is wrong.
    pub(crate) fn send_acked(&self, data: &JsValue) -> Result<Promise, String> {
        let Some(ack_key) = &self.ack_key else {
            return Err("sendAcked(data): the ack option is off (set ack: true)".into());
        };
        if !data.is_object() || js_sys::Array::is_array(data) {
            return Err("sendAcked(data): expected an object".into());
        }
        let (seq, id) = self.core.borrow_mut().connection.next_ack_id();
        let copy = Object::assign(&Object::new(), data.unchecked_ref());
        let frame = Reflect::set(&copy, ack_key, &JsValue::from_str(&id))
            .and_then(|_| stringify(&copy))
            .ok()
            .and_then(|text| text.dyn_into::<JsString>().ok())
            .ok_or_else(|| String::from("sendAcked(data): the object could not be serialized as JSON"))?;
        if self.core.borrow_mut().connection.send_acked(frame, (seq, id), now()).is_err() {
            return Err(self.queue_full());
        }
        let mut settle = None;
        let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
        if let Some(settle) = settle {
            self.pending.borrow_mut().get_or_insert_with(seq, || settle);
        }
        self.drive();
        Ok(promise)
    }

    /// Settles the Promise of acknowledged send `seq` (if this page made it): resolved with
    /// the ack frame, or rejected with `Err`'s error.
    pub(crate) fn settle(&self, seq: u32, result: Result<&JsValue, JsValue>) {
        let Some((resolve, reject)) = self.pending.borrow_mut().remove(&seq) else { return };
        let _ = match result {
            Ok(ack) => resolve.call1(&JsValue::UNDEFINED, ack),
            Err(error) => reject.call1(&JsValue::UNDEFINED, &error),
        };
    }

    /// An acknowledged send waited `ackTimeoutMs` of open connection in vain.
    pub(super) fn ack_timed_out(&self, seq: u32) {
        let mut text = String::from("sendAcked: no ack within ");
        push_decimal(&mut text, self.ack_timeout);
        text.push_str(" ms of open connection");
        self.settle(seq, Err(js_sys::Error::new(&text).into()));
    }

    /// The resume frame, `{type: "resume", last_id}`, once an id was seen.
    pub(super) fn resume_frame(&self) -> Option<JsString> {
        let (route, last_id_key) = self.resume.as_ref()?;
        let last_id = self.last_id.borrow().clone();
        if last_id.is_undefined() {
            return None;
        }
        stringify(&object(&[(self.route_key(), route.clone()), (last_id_key, last_id)])).ok()?.dyn_into().ok()
    }

    /// `setTokenProvider(provider | null)`.
    pub(crate) fn set_token_provider(&self, provider: Option<Function>) {
        self.core.borrow_mut().connection.set_token_refresh(provider.is_some());
        *self.token_provider.borrow_mut() = provider;
    }

    /// Asks the token provider for a fresh token; the connection hears how it went.
    pub(super) fn refresh_token(&self) {
        let provider = self.token_provider.borrow().clone();
        let asked = provider.map(|p| p.call0(&JsValue::UNDEFINED));
        let weak = self.weak();
        // The same future machinery as `requestNotificationPermission()`; the Promise it
        // returns settles with nothing anyone waits for.
        let _ = future_to_promise(async move {
            let answer = match asked {
                Some(Ok(value)) => JsFuture::from(Promise::resolve(&value)).await,
                Some(Err(thrown)) => Err(thrown),
                None => Ok(JsValue::NULL),
            };
            let Some(shell) = weak.upgrade() else { return Ok(JsValue::UNDEFINED) };
            match answer.map(|token| token.as_string().filter(|t| !t.is_empty())) {
                Ok(Some(token)) => match shell.set_token(Some(&token)) {
                    Ok(()) => shell.input(|core, now| core.connection.token_refreshed(now)),
                    Err(error) => shell.refresh_failed(&error),
                },
                Ok(None) => shell.refresh_failed("the token provider gave no token"),
                Err(thrown) => shell.refresh_failed(&describe(&thrown)),
            }
            Ok(JsValue::UNDEFINED)
        });
    }

    fn refresh_failed(&self, why: &str) {
        self.report("token_provider", why);
        self.input(|core, now| core.connection.token_refresh_failed(now));
    }

    /// Mirrors the outbox in `sessionStorage` if it changed.
    pub(super) fn persist(&self) {
        let Some(stored) = &self.stored else { return };
        if !self.core.borrow_mut().connection.take_outbox_change() {
            return;
        }
        let saved = stored.save(self.core.borrow().connection.outbox());
        if let Err(thrown) = saved {
            self.report("storage", &describe(&thrown));
        }
    }
}
