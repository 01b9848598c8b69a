'use client';

import { useActionState, useEffect, useState, type FormEvent } from 'react';
import { saveProgram, type ProgramFormState } from './actions';

/** One number of the form: its name in the form data, the words for it, its range and value now. */
export interface ProgramFormField {
  name: string;
  label: string;
  unit: string;
  help: string;
  min: number;
  max: number;
  value: number;
}

const number = new Intl.NumberFormat('en');

/**
 * The program's settings as a form (docs/reviewing-referrals.md, "Changing
 * the program"): each number with its range; saving first shows every change
 * as old → new and asks to confirm. Without JavaScript the form is sent as it
 * is, and the server checks it all the same.
 */
export function ProgramForm({
  version,
  groups,
  reasonMaxLength,
}: {
  version: number;
  groups: { title: string; fields: ProgramFormField[] }[];
  reasonMaxLength: number;
}) {
  const [state, action, pending] = useActionState<ProgramFormState, FormData>(saveProgram, { error: null });
  const [review, setReview] = useState<{ label: string; before: number; after: string }[] | null>(null);
  const fields = groups.flatMap((g) => g.fields);
  // A refused save goes back to the form, with the error.
  useEffect(() => setReview(null), [state]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    if (review) return; // Confirmed: send it.
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setReview(
      fields
        .map((f) => ({ label: f.label, before: f.value, after: String(data.get(f.name) ?? '').trim() }))
        .filter((c) => c.after !== String(c.before)),
    );
  }

  return (
    <form action={action} onSubmit={onSubmit} className="program-form" aria-describedby="program-form-help">
      <input type="hidden" name="expectedVersion" value={version} />
      <p id="program-form-help" className="muted">
        Saving makes version {version + 1}. It applies to every redemption, completion and page from the moment it is saved; a
        referral keeps the rewards of the version it was redeemed under.
      </p>
      {groups.map((group) => (
        <fieldset key={group.title}>
          <legend>{group.title}</legend>
          {group.fields.map((f) => (
            <div className="setting" key={f.name}>
              <label htmlFor={`setting-${f.name}`}>{f.label}</label>
              <div className="row">
                <input
                  id={`setting-${f.name}`}
                  name={f.name}
                  type="number"
                  inputMode="numeric"
                  required
                  step={1}
                  min={f.min}
                  max={f.max}
                  defaultValue={f.value}
                  readOnly={review !== null}
                  aria-describedby={`setting-${f.name}-help`}
                />
                <span className="muted">{f.unit}</span>
              </div>
              <small id={`setting-${f.name}-help`} className="muted">
                {f.help} From {number.format(f.min)} to {number.format(f.max)}.
              </small>
            </div>
          ))}
        </fieldset>
      ))}
      <label htmlFor="program-reason">Why (for the program&apos;s history)</label>
      <textarea id="program-reason" name="reason" required maxLength={reasonMaxLength} rows={2} readOnly={review !== null} />
      {state.error && (
        <p className="notice bad" role="alert">
          {state.error} Nothing was saved.
        </p>
      )}
      {review === null ? (
        <button type="submit" disabled={pending}>
          Review the changes
        </button>
      ) : (
        <div className="review" role="region" aria-label="Changes to save">
          {review.length === 0 ? (
            <p>Nothing differs from version {version}.</p>
          ) : (
            <>
              <p>Version {version + 1} changes:</p>
              <ul data-testid="program-changes">
                {review.map((c) => (
                  <li key={c.label}>
                    {c.label}: {number.format(c.before)} → {c.after === '' ? '(empty)' : c.after}
                  </li>
                ))}
              </ul>
            </>
          )}
          <div className="row">
            <button type="submit" disabled={pending || review.length === 0}>
              Save version {version + 1}
            </button>
            <button type="button" className="secondary" onClick={() => setReview(null)}>
              Back to the form
            </button>
          </div>
        </div>
      )}
    </form>
  );
}
