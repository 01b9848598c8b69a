'use client';

import { useEffect, useState } from 'react';

/** The browser's native share sheet, shown only where the browser has one. */
export function ShareButton({ url, text }: { url: string; text: string }) {
  const [canShare, setCanShare] = useState(false);
  useEffect(() => setCanShare(typeof navigator !== 'undefined' && typeof navigator.share === 'function'), []);
  if (!canShare) return null;
  return (
    <button
      type="button"
      className="secondary"
      onClick={() => {
        navigator.share({ title: 'Join me', text, url }).catch(() => {
          // The person closed the share sheet: nothing to do.
        });
      }}
    >
      Share…
    </button>
  );
}
