/**
 * The one Details disclosure: paths, hashes, ids and registry names stay here, behind the plain
 * sentence a screen leads with, with a Copy button for support tickets.
 */
import type { ReactNode } from 'react';
import { CopyButton } from './copy-button';

export function Details({ text, children, summary = 'Details' }: { text: string; children?: ReactNode; summary?: string }) {
  return (
    <details className="details">
      <summary>{summary}</summary>
      <div className="details-body">
        {children ?? <pre className="details-text">{text}</pre>}
        <CopyButton text={text} label="Copy details" />
      </div>
    </details>
  );
}
