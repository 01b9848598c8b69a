'use client';

import { useState } from 'react';

/** Copies `text`; says so for screen readers too. */
export function CopyButton({ text, label = 'Copy link' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="secondary"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        } catch {
          window.prompt('Copy this link:', text);
        }
      }}
    >
      <span aria-live="polite">{copied ? 'Copied!' : label}</span>
    </button>
  );
}
