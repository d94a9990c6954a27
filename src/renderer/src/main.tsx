/** The renderer's entry: connect to the preload API, then render the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { connectEvents } from './events';
import { useApp } from './stores/app-store';
import { useWizard } from './stores/wizard-store';
import './styles/base.css';
import './styles/layout.css';
import './styles/feedback.css';
import './styles/screens.css';
import './styles/chrome.css';

/** The longest the first paint waits for the first screen's answers; past it, "Loading…" shows. */
const FIRST_ANSWERS_MS = 1000;

async function start(root: HTMLElement): Promise<void> {
  connectEvents();
  // The first screen's questions go out together, before React renders: which machine this is, and
  // what is installed and what installing would do (the install wizard's first screen, and the
  // health banner on every screen). React then renders the whole first screen once, instead of a
  // "Loading…" render, a layout and a paint per answer. Neither call rejects: errors land in stores.
  const answers = Promise.all([useApp.getState().load(), useWizard.getState().loadWelcome()]);
  await Promise.race([answers, new Promise((resolve) => setTimeout(resolve, FIRST_ANSWERS_MS))]);
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (root) void start(root);
