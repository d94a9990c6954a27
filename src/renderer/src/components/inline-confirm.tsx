/**
 * An inline confirmation: takes the focus when it opens, Escape or Cancel closes it and gives the
 * focus back to the button that opened it.
 */
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';

export function InlineConfirm({ id, title, children, onDismiss }: { id: string; title: ReactNode; children: ReactNode; onDismiss(): void }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div
      className="confirm"
      role="group"
      aria-labelledby={`${id}-title`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onDismiss();
        }
      }}
    >
      <h4 id={`${id}-title`} ref={ref} tabIndex={-1}>
        {title}
      </h4>
      {children}
    </div>
  );
}
