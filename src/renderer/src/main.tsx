/** The renderer's entry: connect to the preload API, then render the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { connectEvents } from './events';
import { useApp } from './stores/app-store';
import './styles/base.css';
import './styles/layout.css';
import './styles/feedback.css';
import './styles/screens.css';
import './styles/chrome.css';

const root = document.getElementById('root');
if (root) {
  connectEvents();
  void useApp.getState().load();
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
