// Fault injection: rules per API, cluster-wide or for one broker, consumed first-in
// first-out, one matching request each. Broker-scoped rules are taken before cluster-wide ones (librdkafka order).
import { apiName } from '../../wire/api-keys.js';
import { errorName } from '../../wire/error-codes.js';

export type FaultKind =
  | { kind: 'error-before'; error: number } // answer error X, nothing is appended
  | { kind: 'error-after'; error: number } // process (append), then answer error X
  | { kind: 'drop-response' } // process, never answer: the client times out
  | { kind: 'delay'; ms: number } // process at once, answer late (a late success)
  | { kind: 'disconnect' }; // close the connection instead of processing

export type FaultRule = FaultKind & { apiKey: number; broker?: number; id: number };

export function describeFault(f: FaultKind & { apiKey: number; broker?: number }): string {
  const where = `${apiName(f.apiKey)}${f.broker !== undefined ? ` on broker ${f.broker}` : ''}`;
  switch (f.kind) {
    case 'error-before':
      return `${where}: answer ${errorName(f.error)} before the append`;
    case 'error-after':
      return `${where}: append, then answer ${errorName(f.error)}`;
    case 'drop-response':
      return `${where}: append, drop the response`;
    case 'delay':
      return `${where}: delay the response ${f.ms} ms`;
    case 'disconnect':
      return `${where}: disconnect`;
  }
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;

  push(rule: FaultKind & { apiKey: number; broker?: number }, count = 1): FaultRule[] {
    const added: FaultRule[] = [];
    for (let i = 0; i < count; i++) {
      const r = { ...rule, id: this.nextId++ } as FaultRule;
      this.rules.push(r);
      added.push(r);
    }
    return added;
  }

  /** Takes the first rule for this request: a broker-scoped one if any, else a cluster-wide one. */
  take(broker: number, apiKey: number): FaultRule | undefined {
    // Asked for every request; almost always with no rule at all (no search closures then).
    if (this.rules.length === 0) return undefined;
    let i = this.rules.findIndex((r) => r.apiKey === apiKey && r.broker === broker);
    if (i < 0) i = this.rules.findIndex((r) => r.apiKey === apiKey && r.broker === undefined);
    if (i < 0) return undefined;
    return this.rules.splice(i, 1)[0];
  }

  pending(): readonly FaultRule[] {
    return this.rules;
  }

  clear(): number {
    const n = this.rules.length;
    this.rules = [];
    return n;
  }
}
