/**
 * The one footer of every screen: secondary actions (Back, Cancel …) on the left, the screen's
 * primary action on the right. It sticks to the bottom of the window, so the main button is
 * always visible without scrolling; Enter anywhere outside a control presses the primary one.
 */
import type { ReactNode } from 'react';

export function FooterBar({ secondary, primary, note }: { secondary?: ReactNode; primary?: ReactNode; note?: ReactNode }) {
  return (
    <div className="footer-bar" role="group" aria-label="Actions" data-testid="footer-bar">
      <div className="footer-secondary">{secondary}</div>
      {note && <div className="footer-note">{note}</div>}
      <div className="footer-primary">{primary}</div>
    </div>
  );
}
