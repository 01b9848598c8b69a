import type { WebhookDeliverySummary } from '@app/common';
import { formatWhen, Stats } from './shared';

/** How the webhook outbox stands, and the events that failed or are being retried. */
export function WebhooksSection({ webhooks }: { webhooks: WebhookDeliverySummary }) {
  return (
    <section className="card" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhook deliveries</h2>
      <Stats
        testId="webhook-counts"
        figures={[
          ['Delivered', webhooks.delivered],
          ['Waiting', webhooks.pending],
          ['Retrying', webhooks.retrying],
          ['Failed', webhooks.failed],
        ]}
      />
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
  );
}
