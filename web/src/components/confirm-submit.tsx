'use client';

import type { ReactNode } from 'react';

/**
 * A submit button that asks first (without JavaScript the form simply
 * submits). `formAction` makes it submit its form to another action.
 */
export function ConfirmSubmit({
  message,
  children,
  disabled,
  formAction,
}: {
  message: string;
  children: ReactNode;
  disabled?: boolean;
  formAction?: (formData: FormData) => Promise<void>;
}) {
  return (
    <button
      type="submit"
      className="danger"
      disabled={disabled}
      formAction={formAction}
      onClick={(event) => {
        if (!window.confirm(message)) event.preventDefault();
      }}
    >
      {children}
    </button>
  );
}
