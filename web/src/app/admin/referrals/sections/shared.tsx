// What the operator page's sections share: how a person, the signals, a time
// and a number are shown, and the page's notices.
import { OPERATOR_REASON_MAX_LENGTH, type AdminPerson, type AdminSignal } from '@app/common';

/** What an operator action says when it worked (`?notice=`). */
export const NOTICES: Record<string, string> = {
  approve: 'Approved. Both people got their rewards; their open pages show the new quota at once.',
  reject: 'Rejected. No rewards were granted, and the referrer has the place back under their cap.',
  revoke: 'Revoked. Both rewards were taken back (clawback rows in the ledger).',
  deleted: 'The account was deleted: the person\'s data is erased; their referrals and ledger rows stay, anonymous.',
};

/** What an operator action says when it changed nothing (`?error=`), besides the API's error codes. */
export const ERRORS: Record<string, string> = {
  reason: `Give a reason in plain text (at most ${OPERATOR_REASON_MAX_LENGTH} characters): it goes into the audit log. Nothing was changed.`,
  'approve-refused': 'That referral cannot be approved: it is not under review (another operator may have decided it already). Nothing was changed.',
  'reject-refused': 'That referral cannot be rejected: it is not pending or under review (another operator may have decided it already). Nothing was changed.',
  'revoke-refused': 'That referral cannot be revoked: it is not completed (another operator may have revoked it already). Nothing was changed.',
  'referral-not-found': 'There is no such referral (the link or form may be out of date). Nothing was changed.',
  'own-referral': 'You cannot decide a referral in which you are the referrer or the friend: another operator must. Nothing was changed.',
  'delete-not-found': 'There is no account with that e-mail address (it may have been deleted already). Nothing was changed.',
  'delete-self': 'You cannot delete your own account here: use "Delete your account" on your referrals page.',
};

const when = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
export const formatWhen = (date: Date) => `${when.format(date)} UTC`;
const number = new Intl.NumberFormat('en');
export const formatNumber = (n: number) => number.format(n);

export function Person({ person }: { person: AdminPerson | null }) {
  if (!person || person.deleted) return <span className="muted">Deleted account</span>;
  return (
    <div>
      <span className="person">{person.name?.trim() || <span className="muted">No name</span>}</span>
      {person.email && <span className="email">{person.email}</span>}
    </div>
  );
}

export const displayName = (person: AdminPerson) => (person.deleted ? 'Deleted account' : person.name?.trim() || person.email || 'No name');

export function Signals({ signals }: { signals: AdminSignal[] }) {
  if (signals.length === 0) return <p className="muted">No signals.</p>;
  return (
    <ul className="signals">
      {signals.map((s) => (
        <li key={s.signal}>
          <code>{s.signal}</code>
          {s.weight !== null && <span className="muted"> (+{s.weight})</span>}: {s.description}
        </li>
      ))}
    </ul>
  );
}

/** A row of big figures, each under its label. */
export function Stats({ testId, figures }: { testId: string; figures: [label: string, value: number][] }) {
  return (
    <dl className="stats" data-testid={testId}>
      {figures.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{formatNumber(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
