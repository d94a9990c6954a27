/**
 * "Choose a file…": in the app, main's native dialog (onPick calls pickPayload / pickMsi). In the
 * browser host, which has no native dialog, the page's own file picker: the file is uploaded into
 * the host's work folder first, then onPick reads it exactly as a dialog's answer.
 */
import { useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { api } from '../api';

function browserHost() {
  try {
    return api().browserHost ?? null;
  } catch {
    return null;
  }
}

export function FilePickButton({
  kind,
  onPick,
  disabled,
  className,
  children,
}: {
  kind: 'payload' | 'msi';
  onPick: () => Promise<void> | void;
  disabled?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<string | null>(null);
  const host = browserHost();
  return (
    <>
      <button type="button" className={className} disabled={disabled || status === 'uploading'} onClick={() => (host ? input.current?.click() : void onPick())}>
        {status === 'uploading' ? 'Reading the file…' : children}
      </button>
      {host && (
        <input
          ref={input}
          type="file"
          hidden
          data-testid={`file-input-${kind}`}
          accept={kind === 'msi' ? '.msi' : undefined}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            setStatus('uploading');
            void host.upload(kind, file, file.name).then(async (r) => {
              setStatus(r.ok ? null : r.message);
              if (r.ok) await onPick();
            });
          }}
        />
      )}
      {status && status !== 'uploading' && (
        <span className="reason" role="alert">
          {status}
        </span>
      )}
    </>
  );
}
