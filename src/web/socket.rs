//! One browser WebSocket and the closures it calls; dropping it detaches them and closes it.

use alloc::rc::Weak;

use js_sys::JsString;
use wasm_bindgen::prelude::*;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

use super::shell::Shell;

#[wasm_bindgen]
extern "C" {
    /// A `WebSocket` seen through the one method web-sys types with a Rust `&str`.
    type TextSocket;
    /// `WebSocket.send` with a JS string, so the frame is never copied into wasm.
    #[wasm_bindgen(method, catch, js_name = send)]
    fn send_text(this: &TextSocket, text: &JsString) -> Result<(), JsValue>;
}

/// A socket tagged with the generation the core gave it; its three handlers live as long as
/// it does.
pub(crate) struct Socket {
    ws: WebSocket,
    generation: u32,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    /// Opens a socket to `url` whose events go to `shell`, tagged `generation`; `Err` is what
    /// the `WebSocket` constructor threw.
    pub(crate) fn open(url: &str, generation: u32, shell: &Weak<Shell>) -> Result<Socket, JsValue> {
        let ws = WebSocket::new(url)?;
        ws.set_binary_type(BinaryType::Arraybuffer);
        let s = shell.clone();
        let on_open = Closure::<dyn FnMut()>::new(move || {
            if let Some(shell) = s.upgrade() {
                shell.on_open(generation);
            }
        });
        let s = shell.clone();
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(shell) = s.upgrade() {
                shell.on_frame(generation, event.data());
            }
        });
        let s = shell.clone();
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
            if let Some(shell) = s.upgrade() {
                shell.on_close(generation, event.code());
            }
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Socket { ws, generation, _on_open: on_open, _on_message: on_message, _on_close: on_close })
    }

    /// The generation this socket was opened with.
    pub(crate) fn generation(&self) -> u32 {
        self.generation
    }

    /// Writes a frame; `false` when the socket is not open (the frame was not taken).
    pub(crate) fn send(&self, text: &JsString) -> bool {
        self.ws.ready_state() == WebSocket::OPEN && self.ws.unchecked_ref::<TextSocket>().send_text(text).is_ok()
    }

    /// Closes with `code` and `reason`; the socket's events stop here.
    pub(crate) fn close(self, code: u16, reason: &str) {
        self.detach();
        let _ = self.ws.close_with_code_and_reason(code, reason);
    }

    fn detach(&self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.detach();
        if matches!(self.ws.ready_state(), WebSocket::CONNECTING | WebSocket::OPEN) {
            let _ = self.ws.close_with_code_and_reason(1000, "client closed");
        }
    }
}
