// The hand-written context of seed 002, minus its console.log: JSON.parse, then an object of
// listener arrays keyed by type; unsubscribe filters the array (and leaves it in place).
export function createPlainContext() {
  const listeners = {};
  const onmessage = (event) => {
    const data = JSON.parse(event.data);
    const callbacks = listeners[data.type] || [];
    callbacks.forEach((cb) => cb(data));
  };
  const subscribe = (eventType, callback) => {
    if (!listeners[eventType]) {
      listeners[eventType] = [];
    }
    listeners[eventType].push(callback);
    return () => {
      listeners[eventType] = listeners[eventType].filter((cb) => cb !== callback);
    };
  };
  return { onmessage, subscribe, listeners };
}
