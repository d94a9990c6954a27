/** Finish / Close on an end screen: closes the window; where a page cannot close itself (a browser tab), it says so. */
import { useState } from 'react';

export function CloseButton({ label = 'Finish' }: { label?: string }) {
  const [stayed, setStayed] = useState(false);
  return (
    <>
      {stayed && (
        <span className="footer-hint" role="status">
          All done: you can close this tab.
        </span>
      )}
      <button
        type="button"
        className="primary"
        onClick={() => {
          window.close();
          // A browser tab the user opened stays open: tell them instead of doing nothing.
          setTimeout(() => setStayed(true), 150);
        }}
      >
        {label}
      </button>
    </>
  );
}
