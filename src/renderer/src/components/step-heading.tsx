/** A screen's heading; it takes the focus when the screen appears, so keyboard and screen-reader users land on it. */
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';

export function StepHeading({ children, id }: { children: ReactNode; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h2 ref={ref} tabIndex={-1} id={id} className="step-heading">
      {children}
    </h2>
  );
}
