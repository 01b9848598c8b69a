import {
  ADMIN_FUNNEL_DAYS,
  ERROR_MESSAGES,
  FRAUD_SCORE_THRESHOLD,
  PROGRAM_OVERVIEW_MAX_AGE_SECONDS,
  getProgramOverview,
  getRecentAccountDeletions,
  getRecentCompletedReferrals,
  getRecentDecisions,
  getReferralFunnel,
  getReviewQueue,
  getWebhookDeliverySummary,
  refreshProgramOverview,
  isErrorCode,
  type AdminPerson,
  type AdminSignal,
  type FunnelDay,
  type ReferralStatus,
} from '@app/common';
import type { Metadata } from 'next';
import { after } from 'next/server';
import { ConfirmSubmit } from '@/components/confirm-submit';
import { currentAdmin, requireAdmin } from '@/server/admin';
import { db } from '@/server/db';
import { approveReferral, deleteMemberAccount, rejectReferral, revokeReferral } from './actions';
import { FunnelChart, SERIES } from './funnel-chart';
import './admin.css';

// Only an operator's page has a title: anyone else gets the plain 404 page, which must not hint at this one.
export async function generateMetadata(): Promise<Metadata> {
  return (await currentAdmin()) ? { title: 'Referral operations', robots: { index: false, follow: false } } : {};
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const NOTICES: Record<string, string> = {
  approve: 'Approved. Both people got their rewards; their open pages show the new quota at once.',
  reject: 'Rejected. No rewards were granted, and the referrer has the place back under their cap.',
  revoke: 'Revoked. Both rewards were taken back (clawback rows in the ledger).',
  deleted: 'The account was deleted: the person\'s data is erased; their referrals and ledger rows stay, anonymous.',
};

const ERRORS: Record<string, string> = {
  reason: 'Give a reason (at most 500 characters): it goes into the audit log. Nothing was changed.',
  'approve-refused': 'That referral could not be approved: it is no longer under review (someone may have decided it already). Nothing was changed.',
  'reject-refused': 'That referral could not be rejected: it is no longer pending or under review (someone may have decided it already). Nothing was changed.',
  'revoke-refused': 'That referral could not be revoked: it is no longer completed (someone may have revoked it already). Nothing was changed.',
  'own-referral': 'You cannot decide a referral in which you are the referrer or the friend: another operator must. Nothing was changed.',
  'delete-not-found': 'There is no account with that e-mail address (it may have been deleted already). Nothing was changed.',
  'delete-self': 'You cannot delete your own account here: use "Delete your account" on your referrals page.',
};

const STATUS_WORDS: Record<ReferralStatus, string> = {
  pending: 'Pending',
  held: 'Under review',
  completed: 'Completed',
  rejected: 'Rejected',
};

const ACTION_WORDS = { approve: 'Approved', reject: 'Rejected', revoke: 'Revoked' } as const;

const when = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const formatWhen = (date: Date) => `${when.format(date)} UTC`;
const number = new Intl.NumberFormat('en');

function Person({ person }: { person: AdminPerson | null }) {
  if (!person || person.deleted) return <span className="muted">Deleted account</span>;
  return (
    <div>
      <span className="person">{person.name?.trim() || <span className="muted">No name</span>}</span>
      {person.email && <span className="email">{person.email}</span>}
    </div>
  );
}

const displayName = (person: AdminPerson) => (person.deleted ? 'Deleted account' : person.name?.trim() || person.email || 'No name');

function Signals({ signals }: { signals: AdminSignal[] }) {
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

function sumDays(days: FunnelDay[]): Omit<FunnelDay, 'day'> {
  const total = { landingViews: 0, signUps: 0, pending: 0, held: 0, completed: 0, rejected: 0 };
  for (const d of days) for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += d[key];
  return total;
}

const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`);

export default async function AdminReferralsPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireAdmin();
  const params = await searchParams;
  const database = await db();
  const [overview, funnel, queue, completed, decisions, webhooks, deletions] = await Promise.all([
    getProgramOverview({ db: database }),
    getReferralFunnel({ db: database, days: ADMIN_FUNNEL_DAYS }),
    getReviewQueue({ db: database, limit: 50 }),
    getRecentCompletedReferrals({ db: database, limit: 20 }),
    getRecentDecisions({ db: database, limit: 25 }),
    getWebhookDeliverySummary({ db: database, limit: 10 }),
    getRecentAccountDeletions({ db: database, limit: 10 }),
  ]);
  const { totals, topReferrers: top } = overview;
  // The all-time figures are a snapshot: once it is old, it is recounted after this page is sent.
  if (overview.stale) after(() => refreshProgramOverview({ db: database }).then(() => undefined, () => undefined));
  const windowTotals = sumDays(funnel);

  const notice = typeof params.notice === 'string' ? NOTICES[params.notice] : undefined;
  const errorKey = typeof params.error === 'string' ? params.error : '';
  const error = ERRORS[errorKey] ?? (isErrorCode(errorKey) ? ERROR_MESSAGES[errorKey] : undefined);

  return (
    <div className="admin">
      <h1>Referral operations</h1>
      <p className="muted">
        Signed in as {admin.email}. Times are UTC. Every decision here is recorded in the audit log with your address and
        reason.
      </p>
      {notice && (
        <p className="notice ok" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p className="notice bad" role="alert">
          {error}
        </p>
      )}

      <section aria-labelledby="totals-heading">
        <h2 id="totals-heading">All time</h2>
        <p className="muted" data-testid="overview-as-of">
          As of {formatWhen(overview.computedAt)}; counted again at most every {PROGRAM_OVERVIEW_MAX_AGE_SECONDS} seconds while the page is in use.
        </p>
        <dl className="stats" data-testid="totals">
          <div>
            <dt>Landing views</dt>
            <dd>{number.format(totals.landingViews)}</dd>
          </div>
          <div>
            <dt>Sign-ups</dt>
            <dd>{number.format(totals.signUps)}</dd>
          </div>
          <div>
            <dt>Completed</dt>
            <dd>{number.format(totals.completed)}</dd>
          </div>
          <div>
            <dt>Under review</dt>
            <dd>{number.format(totals.held)}</dd>
          </div>
          <div>
            <dt>Rejected</dt>
            <dd>{number.format(totals.rejected)}</dd>
          </div>
          <div>
            <dt>Pending</dt>
            <dd>{number.format(totals.pending)}</dd>
          </div>
          <div>
            <dt>Quota granted</dt>
            <dd>{number.format(totals.quotaGranted - totals.quotaClawedBack)}</dd>
          </div>
        </dl>
        <p className="muted">
          {number.format(totals.referrers)} {totals.referrers === 1 ? 'member has' : 'members have'} referred someone.
          Quota granted is net: {number.format(totals.quotaGranted)} in rewards, less {number.format(totals.quotaClawedBack)}{' '}
          taken back by revocations.
        </p>
      </section>

      <section className="card" aria-labelledby="funnel-heading">
        <div className="section-head">
          <h2 id="funnel-heading">Last {ADMIN_FUNNEL_DAYS} days</h2>
          <p className="muted" style={{ margin: 0 }}>
            {number.format(windowTotals.landingViews)} views → {number.format(windowTotals.signUps)} sign-ups (
            {percent(windowTotals.signUps, windowTotals.landingViews)}) → {number.format(windowTotals.completed)} completed (
            {percent(windowTotals.completed, windowTotals.signUps)})
          </p>
        </div>
        <div className="chart-wrap">
          <FunnelChart days={funnel} totals={windowTotals} />
        </div>
        <ul className="legend" aria-label="Legend">
          <li>
            <span className="swatch views" aria-hidden="true" /> Landing views (left bar)
          </li>
          {SERIES.map((s) => (
            <li key={s.key}>
              <span className={`swatch ${s.key}`} aria-hidden="true" /> {s.label}
            </li>
          ))}
        </ul>
        <p className="muted">
          Sign-ups (right bar) are counted on the day the friend used the code, under the status their referral has now.
        </p>
        <details>
          <summary>Numbers per day</summary>
          <div className="table-wrap">
            <table data-testid="funnel-table">
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col" className="num">Landing views</th>
                  <th scope="col" className="num">Sign-ups</th>
                  {SERIES.map((s) => (
                    <th key={s.key} scope="col" className="num">
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {funnel.map((d) => (
                  <tr key={d.day}>
                    <th scope="row">{d.day}</th>
                    <td className="num">{d.landingViews}</td>
                    <td className="num">{d.signUps}</td>
                    {SERIES.map((s) => (
                      <td key={s.key} className="num">
                        {d[s.key]}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Total</th>
                  <td className="num">{windowTotals.landingViews}</td>
                  <td className="num">{windowTotals.signUps}</td>
                  {SERIES.map((s) => (
                    <td key={s.key} className="num">
                      {windowTotals[s.key]}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
        </details>
      </section>

      <section className="card" aria-labelledby="queue-heading">
        <div className="section-head">
          <h2 id="queue-heading">Review queue ({queue.total})</h2>
          {queue.total > queue.items.length && (
            <p className="muted" style={{ margin: 0 }}>
              The oldest {queue.items.length} of {queue.total}.
            </p>
          )}
        </div>
        <p className="muted">
          Held referrals scored {FRAUD_SCORE_THRESHOLD} or more. They count toward the referrer&apos;s cap but nobody has
          been rewarded yet. Approve to grant both rewards; reject to grant nothing.
        </p>
        {queue.items.length === 0 ? (
          <p data-testid="queue-empty">Nothing to review.</p>
        ) : (
          <ol className="queue" data-testid="review-queue">
            {queue.items.map((item) => {
              const headingId = `held-${item.referralId}`;
              return (
                <li key={item.referralId}>
                  <article aria-labelledby={headingId}>
                    <h3 id={headingId}>
                      {displayName(item.friend)}, invited by {displayName(item.referrer)}
                    </h3>
                    <dl>
                      <dt>Friend</dt>
                      <dd>
                        <Person person={item.friend} />
                      </dd>
                      <dt>Referrer</dt>
                      <dd>
                        <Person person={item.referrer} />
                        <div className="muted">
                          Record: {item.referrerRecord.completed} completed, {item.referrerRecord.held} under review,{' '}
                          {item.referrerRecord.rejected} rejected
                        </div>
                      </dd>
                      <dt>Used the code</dt>
                      <dd>{formatWhen(item.createdAt)}</dd>
                      <dt>Held since</dt>
                      <dd>{formatWhen(item.heldSince)}</dd>
                      <dt>Score</dt>
                      <dd>
                        {item.riskScore} <span className="muted">(held at {FRAUD_SCORE_THRESHOLD})</span>
                      </dd>
                    </dl>
                    <h4 className="sr-only">Signals</h4>
                    <Signals signals={item.signals} />
                    <form action={approveReferral} className="decide">
                      <input type="hidden" name="referralId" value={item.referralId} />
                      <label htmlFor={`reason-${item.referralId}`}>Reason (for the audit log)</label>
                      <textarea id={`reason-${item.referralId}`} name="reason" required maxLength={500} rows={2} />
                      <div className="row">
                        <button type="submit">Approve</button>
                        <ConfirmSubmit
                          formAction={rejectReferral}
                          message={`Reject the referral of ${displayName(item.friend)} by ${displayName(item.referrer)}? Neither gets a reward, and this cannot be undone.`}
                        >
                          Reject
                        </ConfirmSubmit>
                      </div>
                    </form>
                  </article>
                </li>
              );
            })}
          </ol>
        )}
      </section>

      <section className="card" aria-labelledby="top-heading">
        <h2 id="top-heading">Top referrers</h2>
        {top.length === 0 ? (
          <p className="muted">Nobody has referred anyone yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="stack">
              <thead>
                <tr>
                  <th scope="col">Referrer</th>
                  <th scope="col" className="num">Completed</th>
                  <th scope="col" className="num">Under review</th>
                  <th scope="col" className="num">Pending</th>
                  <th scope="col" className="num">Rejected</th>
                  <th scope="col" className="num">Landing views</th>
                </tr>
              </thead>
              <tbody>
                {top.map((t) => (
                  <tr key={t.referrer.id}>
                    <td data-label="Referrer">
                      <Person person={t.referrer} />
                    </td>
                    <td data-label="Completed" className="num">{t.completed}</td>
                    <td data-label="Under review" className="num">{t.held}</td>
                    <td data-label="Pending" className="num">{t.pending}</td>
                    <td data-label="Rejected" className="num">{t.rejected}</td>
                    <td data-label="Landing views" className="num">{t.landingViews}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="completed-heading">
        <h2 id="completed-heading">Recently completed</h2>
        <p className="muted">
          The {completed.length} most recently completed referrals. Revoking one takes both rewards back
          (the quota can go below what the member has used) and cannot be undone.
        </p>
        {completed.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="stack" data-testid="completed-referrals">
              <thead>
                <tr>
                  <th scope="col">Friend</th>
                  <th scope="col">Referrer</th>
                  <th scope="col">Completed</th>
                  <th scope="col">Signals</th>
                  <th scope="col">Revoke</th>
                </tr>
              </thead>
              <tbody>
                {completed.map((c) => (
                  <tr key={c.referralId}>
                    <td data-label="Friend">
                      <Person person={c.friend} />
                    </td>
                    <td data-label="Referrer">
                      <Person person={c.referrer} />
                    </td>
                    <td data-label="Completed">{c.completedAt ? formatWhen(c.completedAt) : '—'}</td>
                    <td data-label="Signals">
                      {c.signals.length === 0 ? (
                        <span className="muted">None</span>
                      ) : (
                        <div>
                          {c.signals.map((s) => (
                            <code key={s.signal} title={s.description} style={{ display: 'block' }}>
                              {s.signal}
                            </code>
                          ))}
                        </div>
                      )}
                    </td>
                    <td data-label="Revoke">
                      <form action={revokeReferral} className="revoke-form">
                        <input type="hidden" name="referralId" value={c.referralId} />
                        <label className="sr-only" htmlFor={`revoke-${c.referralId}`}>
                          Reason for revoking the referral of {displayName(c.friend)}
                        </label>
                        <input id={`revoke-${c.referralId}`} name="reason" type="text" required maxLength={500} placeholder="Reason" />
                        <ConfirmSubmit
                          message={`Revoke the referral of ${displayName(c.friend)} by ${displayName(c.referrer)}? Both rewards are taken back, and this cannot be undone.`}
                        >
                          Revoke
                        </ConfirmSubmit>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="audit-heading">
        <h2 id="audit-heading">Audit log</h2>
        {decisions.length === 0 ? (
          <p className="muted">No decisions yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="stack" data-testid="audit-log">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Operator</th>
                  <th scope="col">Decision</th>
                  <th scope="col">Referral</th>
                  <th scope="col">Status</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {decisions.map((d) => (
                  <tr key={d.id}>
                    <td data-label="When">{formatWhen(d.createdAt)}</td>
                    <td data-label="Operator">{d.actorEmail}</td>
                    <td data-label="Decision">
                      <span className={`badge ${d.action}`}>{ACTION_WORDS[d.action]}</span>
                    </td>
                    <td data-label="Referral">
                      <div>
                        {d.friend ? displayName(d.friend) : 'Deleted account'}
                        <span className="email">invited by {d.referrer ? displayName(d.referrer) : 'a deleted account'}</span>
                      </div>
                    </td>
                    <td data-label="Status">
                      {STATUS_WORDS[d.fromStatus]} → {STATUS_WORDS[d.toStatus]}
                    </td>
                    <td data-label="Reason">{d.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete an account</h2>
        {deletions.length > 0 && (
          <div className="table-wrap">
            <table className="stack" data-testid="account-deletions">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Asked by</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {deletions.map((d) => (
                  <tr key={d.id}>
                    <td data-label="When">{formatWhen(d.createdAt)}</td>
                    <td data-label="Asked by">{d.requestedBy === 'member' ? 'The member' : d.actorEmail}</td>
                    <td data-label="Reason">{d.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="muted">
          When a member asks you to. Their name, e-mail address and sign-in are erased; their referrals and ledger rows
          stay, anonymous, and still count; the address can never be invited or rewarded again. Recorded with your
          address and reason. This cannot be undone.
        </p>
        <form action={deleteMemberAccount} className="decide">
          <label htmlFor="delete-email">The member&apos;s e-mail address</label>
          <input id="delete-email" name="email" type="email" required maxLength={254} autoComplete="off" />
          <label htmlFor="delete-reason">Reason (for the audit log)</label>
          <input id="delete-reason" name="reason" type="text" required maxLength={500} />
          <div className="row">
            <ConfirmSubmit message="Delete this member's account? This cannot be undone.">Delete the account</ConfirmSubmit>
          </div>
        </form>
      </section>

      <section className="card" aria-labelledby="webhooks-heading">
        <h2 id="webhooks-heading">Webhook deliveries</h2>
        <dl className="stats" data-testid="webhook-counts">
          <div>
            <dt>Delivered</dt>
            <dd>{number.format(webhooks.delivered)}</dd>
          </div>
          <div>
            <dt>Waiting</dt>
            <dd>{number.format(webhooks.pending)}</dd>
          </div>
          <div>
            <dt>Retrying</dt>
            <dd>{number.format(webhooks.retrying)}</dd>
          </div>
          <div>
            <dt>Failed</dt>
            <dd>{number.format(webhooks.failed)}</dd>
          </div>
        </dl>
        <p className="muted">
          {webhooks.oldestUndeliveredAt
            ? `The oldest event not delivered yet was written ${formatWhen(webhooks.oldestUndeliveredAt)}.`
            : 'Every event has been delivered.'}{' '}
          The backend delivers events at least once and retries with backoff; a failed one was given up on.
        </p>
        {webhooks.failing.length === 0 ? (
          <p>No failing deliveries.</p>
        ) : (
          <div className="table-wrap">
            <table className="stack" data-testid="failing-webhooks">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">State</th>
                  <th scope="col" className="num">Attempts</th>
                  <th scope="col">Last error</th>
                  <th scope="col">Next try</th>
                </tr>
              </thead>
              <tbody>
                {webhooks.failing.map((f) => (
                  <tr key={f.eventId}>
                    <td data-label="Event">
                      <div>
                        {f.type}
                        <span className="email">
                          {formatWhen(f.createdAt)} · <span className="code">{f.eventId}</span>
                        </span>
                      </div>
                    </td>
                    <td data-label="State">
                      <span className={`badge ${f.status === 'failed' ? 'failed' : 'retrying'}`}>
                        {f.status === 'failed' ? 'Failed' : 'Retrying'}
                      </span>
                    </td>
                    <td data-label="Attempts" className="num">{f.attempts}</td>
                    <td data-label="Last error" className="error-text">{f.lastError ?? '—'}</td>
                    <td data-label="Next try">{f.nextAttemptAt ? formatWhen(f.nextAttemptAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
