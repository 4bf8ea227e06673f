// Short-lived messages at the bottom of the page.
import { createContext, useCallback, useContext, useState } from 'react';

const ToastContext = createContext(() => {});
let nextId = 1;

/** Shows toasts raised with `useToast()` for four seconds each. */
export function ToastProvider({ children }) {
  const [toasts, setToasts] = useState([]);
  const show = useCallback((text) => {
    const id = nextId++;
    setToasts((t) => [...t, { id, text }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), 4000);
  }, []);
  return (
    <ToastContext.Provider value={show}>
      {children}
      <div className="toasts">
        {toasts.map((t) => (
          <div key={t.id} className="toast" data-testid="toast">
            {t.text}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

/** `toast(text)`. */
export const useToast = () => useContext(ToastContext);
