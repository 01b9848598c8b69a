import { FRAUD_SIGNALS, type FraudSignal } from '../../constants';
import type { ProgramSettings } from '../program';
import { signalWords } from '../vocabulary';

/** A fraud signal with its weight and what it means, in plain words. */
export interface AdminSignal {
  signal: string;
  /** Its weight in the score, in the program version that scored the referral; null for a signal this code does not know. */
  weight: number | null;
  description: string;
}

/** The signals of a referral, with the weights and windows of the program version that scored it. */
export function describeSignals(signals: readonly string[], program: ProgramSettings): AdminSignal[] {
  return signals.map((signal) => {
    const known = (FRAUD_SIGNALS as readonly string[]).includes(signal) ? (signal as FraudSignal) : null;
    return {
      signal,
      weight: known ? program.signalWeights[known] : null,
      description: known ? signalWords(known, program) : signal,
    };
  });
}
