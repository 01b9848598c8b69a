'use client';

import type { ReactNode } from 'react';

/** A submit button that asks first (without JavaScript the form simply submits). */
export function ConfirmSubmit({ message, children, disabled }: { message: string; children: ReactNode; disabled?: boolean }) {
  return (
    <button
      type="submit"
      className="danger"
      disabled={disabled}
      onClick={(event) => {
        if (!window.confirm(message)) event.preventDefault();
      }}
    >
      {children}
    </button>
  );
}
