'use client';

import { useActionState } from 'react';
import { CopyButton } from '@/components/copy-button';
import { createKey, type ApiKeyFormState } from './actions';

/** The form that makes a key, and the key it made, shown this once. */
export function NewKeyForm({ scopes, defaultRateLimit, maxRateLimit }: { scopes: readonly string[]; defaultRateLimit: number; maxRateLimit: number }) {
  const [state, action, pending] = useActionState<ApiKeyFormState, FormData>(createKey, { created: null, error: null });
  return (
    <>
      <form action={action} className="api-key-form">
        <label htmlFor="api-key-name">Name (what will use it)</label>
        <input id="api-key-name" name="name" type="text" required maxLength={100} placeholder="e.g. Billing service" />
        <fieldset>
          <legend>Scopes</legend>
          {scopes.map((scope) => (
            <label key={scope} className="inline">
              <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === 'read'} /> {scope}
            </label>
          ))}
        </fieldset>
        <label htmlFor="api-key-rate-limit">Requests per minute (per web process)</label>
        <input id="api-key-rate-limit" name="rateLimitPerMinute" type="number" min={1} max={maxRateLimit} defaultValue={defaultRateLimit} />
        <button type="submit" disabled={pending}>
          Create key
        </button>
      </form>
      {state.error && (
        <p className="notice bad" role="alert">
          {state.error} No key was made.
        </p>
      )}
      {state.created && (
        <div className="notice ok" role="status" data-testid="new-api-key">
          <p>
            Key <strong>{state.created.apiKey.name}</strong> made. Copy it now: it is shown this once and is not stored.
          </p>
          <p>
            <input type="text" readOnly value={state.created.key} aria-label="The new API key" className="code" size={48} />{' '}
            <CopyButton text={state.created.key} label="Copy key" />
          </p>
        </div>
      )}
    </>
  );
}
