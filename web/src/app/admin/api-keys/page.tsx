import {
  API_KEY_DEFAULT_RATE_LIMIT_PER_MINUTE,
  API_KEY_MAX_RATE_LIMIT_PER_MINUTE,
  API_KEY_SCOPES,
  ERROR_MESSAGES,
  isErrorCode,
  listApiKeys,
} from '@app/common';
import type { Metadata } from 'next';
import Link from 'next/link';
import { ConfirmSubmit } from '@/components/confirm-submit';
import { currentAdmin, requireAdmin } from '@/server/admin';
import { db } from '@/server/db';
import { formatWhen } from '../referrals/sections/shared';
import { revokeKey } from './actions';
import { NewKeyForm } from './key-form';
import '../referrals/admin.css';

// Only an operator's page has a title: anyone else gets the plain 404 page.
export async function generateMetadata(): Promise<Metadata> {
  return (await currentAdmin()) ? { title: 'API keys', robots: { index: false, follow: false } } : {};
}

type SearchParams = Promise<{ notice?: string | string[]; error?: string | string[] }>;

/** The operator's API keys (docs/integration.md, "API keys"): make one, see each one's use, revoke one. */
export default async function ApiKeysPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireAdmin();
  const [keys, params] = await Promise.all([listApiKeys({ db: await db() }), searchParams]);
  const error = typeof params.error === 'string' && isErrorCode(params.error) ? ERROR_MESSAGES[params.error] : null;
  return (
    <div className="admin">
      <p>
        <Link href="/admin/referrals">← Referral operations</Link>
      </p>
      <h1>API keys</h1>
      <p className="muted">
        Signed in as {admin.email}. A key lets your own servers use the server API as <code>Authorization: Bearer rsk_…</code>.
        Keep keys on servers: never in a browser or an app.
      </p>
      {params.notice === 'revoked' && (
        <p className="notice ok" role="status">
          Revoked: the key is refused from now on.
        </p>
      )}
      {error && (
        <p className="notice bad" role="alert">
          {error} Nothing was changed.
        </p>
      )}
      <section className="card" aria-labelledby="new-key-heading">
        <h2 id="new-key-heading">Create a key</h2>
        <NewKeyForm
          scopes={API_KEY_SCOPES}
          defaultRateLimit={API_KEY_DEFAULT_RATE_LIMIT_PER_MINUTE}
          maxRateLimit={API_KEY_MAX_RATE_LIMIT_PER_MINUTE}
        />
      </section>
      <section className="card" aria-labelledby="keys-heading">
        <h2 id="keys-heading">Keys</h2>
        {keys.length === 0 ? (
          <p>No keys yet.</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="api-keys">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Per minute</th>
                  <th scope="col">Made</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {keys.map((key) => (
                  <tr key={key.id}>
                    <td>{key.name}</td>
                    <td>
                      <code>{key.start}…</code>
                    </td>
                    <td>{key.scopes.join(', ')}</td>
                    <td>{key.rateLimitPerMinute.toLocaleString('en')}</td>
                    <td>
                      {formatWhen(key.createdAt)} <span className="muted">by {key.createdBy}</span>
                    </td>
                    <td>{key.lastUsedAt ? formatWhen(key.lastUsedAt) : <span className="muted">Never</span>}</td>
                    <td>
                      {key.revokedAt ? (
                        <span>
                          Revoked {formatWhen(key.revokedAt)} <span className="muted">by {key.revokedBy}</span>
                        </span>
                      ) : (
                        <form action={revokeKey}>
                          <input type="hidden" name="id" value={key.id} />
                          <ConfirmSubmit message={`Revoke the key "${key.name}"? Every request with it is refused from then on.`}>
                            Revoke
                          </ConfirmSubmit>
                        </form>
                      )}
                    </td>
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
