import {
  FRAUD_SIGNALS,
  OPERATOR_REASON_MAX_LENGTH,
  PROGRAM_FIELDS,
  SIGNAL_WEIGHT_RANGE,
  getProgram,
  getProgramHistory,
  programChanges,
  signalWords,
  type Program,
  type ProgramSettingKey,
} from '@app/common';
import type { Metadata } from 'next';
import Link from 'next/link';
import { currentAdmin, requireAdmin } from '@/server/admin';
import { db } from '@/server/db';
import { formatWhen } from '../referrals/sections/shared';
import { ProgramForm, type ProgramFormField } from './program-form';
import '../referrals/admin.css';

// Only an operator's page has a title: anyone else gets the plain 404 page.
export async function generateMetadata(): Promise<Metadata> {
  return (await currentAdmin()) ? { title: 'Referral program settings', robots: { index: false, follow: false } } : {};
}

/** The form's sections, in order: which settings each holds. */
const GROUPS: { title: string; keys: ProgramSettingKey[] }[] = [
  { title: 'Rewards', keys: ['rewardReferrer', 'rewardReferred'] },
  { title: 'Limits', keys: ['maxReferralsPerReferrer', 'redeemWindowDays', 'regenerationsPerDay', 'attributionCookieDays'] },
  { title: 'Review', keys: ['fraudThreshold', 'velocityWindowMinutes', 'velocityMaxReferrals', 'addressHistoryDays'] },
];

function fieldsOf(program: Program): { title: string; fields: ProgramFormField[] }[] {
  const groups: { title: string; fields: ProgramFormField[] }[] = GROUPS.map((group) => ({
    title: group.title,
    fields: group.keys.map((key) => ({ name: key, ...PROGRAM_FIELDS[key], value: program[key] })),
  }));
  groups.push({
    title: 'Signal weights (points each signal adds to a referral’s score)',
    fields: FRAUD_SIGNALS.map((signal) => ({
      name: `signalWeights.${signal}`,
      label: `Weight of ${signal}`,
      unit: 'points',
      help: signalWords(signal, program),
      ...SIGNAL_WEIGHT_RANGE,
      value: program.signalWeights[signal],
    })),
  });
  return groups;
}

/** A change in the history, in the form's words. */
function changeLabel(key: string): string {
  if (key.startsWith('signalWeights.')) return `Weight of ${key.slice('signalWeights.'.length)}`;
  return PROGRAM_FIELDS[key as ProgramSettingKey]?.label ?? key;
}

export default async function ProgramSettingsPage({ searchParams }: { searchParams: Promise<{ saved?: string | string[] }> }) {
  const admin = await requireAdmin();
  const database = await db();
  const [program, history, { saved }] = await Promise.all([
    getProgram({ db: database }),
    getProgramHistory({ db: database, limit: 21 }),
    searchParams,
  ]);
  const savedVersion = typeof saved === 'string' && /^\d+$/.test(saved) ? Number(saved) : null;
  return (
    <div className="admin">
      <p>
        <Link href="/admin/referrals">← Referral operations</Link>
      </p>
      <h1>Referral program settings</h1>
      <p className="muted">
        Signed in as {admin.email}. Version {program.version} is in force since {formatWhen(program.createdAt)}. Times are UTC.
      </p>
      {savedVersion !== null && savedVersion === program.version && (
        <p className="notice ok" role="status">
          Saved: version {savedVersion} is in force. Members&apos; pages, the landing pages and new referrals use it now.
        </p>
      )}
      <section className="card" aria-labelledby="settings-heading">
        <h2 id="settings-heading">Change the program</h2>
        <ProgramForm version={program.version} groups={fieldsOf(program)} reasonMaxLength={OPERATOR_REASON_MAX_LENGTH} />
      </section>
      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <div className="table-wrap">
          <table data-testid="program-history">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Changes</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {history.slice(0, 20).map((version, i) => {
                const previous = history[i + 1];
                const changes = previous ? programChanges(previous, version) : [];
                return (
                  <tr key={version.version}>
                    <td className="num">{version.version}</td>
                    <td>{formatWhen(version.createdAt)}</td>
                    <td>{version.createdBy?.email ?? <span className="muted">The defaults</span>}</td>
                    <td>
                      {previous ? (
                        <ul className="changes">
                          {changes.map((c) => (
                            <li key={c.key}>
                              {changeLabel(c.key)}: {c.before} → {c.after}
                            </li>
                          ))}
                        </ul>
                      ) : version.version === 1 ? (
                        <span className="muted">First version</span>
                      ) : null}
                    </td>
                    <td>{version.reason}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
