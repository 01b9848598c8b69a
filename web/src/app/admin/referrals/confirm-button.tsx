'use client';

import type { ReactNode } from 'react';

/**
 * A submit button for another action of its form (`formAction`) that asks
 * first. Without JavaScript the form simply submits to that action.
 */
export function ConfirmButton({
  formAction,
  message,
  children,
}: {
  formAction: (formData: FormData) => Promise<void>;
  message: string;
  children: ReactNode;
}) {
  return (
    <button
      type="submit"
      className="danger"
      formAction={formAction}
      onClick={(event) => {
        if (!window.confirm(message)) event.preventDefault();
      }}
    >
      {children}
    </button>
  );
}
