import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App.jsx';
import { AuthProvider } from './auth.jsx';
import { USER } from './config.js';
import './styles.css';

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <AuthProvider user={USER}>
      <App />
    </AuthProvider>
  </StrictMode>,
);
