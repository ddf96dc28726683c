// Keys for a transactional producer typed in one go ("b s s c", a presenter typing fast or keys arriving together
// over SSH): begin, commit and abort each take a round trip, so every key waits for the step before it, and a commit
// or abort waits for the sends typed before it (Java's commitTransaction flushes them first).

export class TransactionSteps {
  private step: Promise<void> | null = null;
  private readonly sends = new Set<Promise<void>>();

  constructor(private readonly open: () => boolean) {}

  /** Runs `act` once the step under way has finished, or at once. */
  after(act: () => void): void {
    if (this.step) void this.step.then(act);
    else act();
  }

  /** A send, resolved once it has its report: a commit or abort typed after it waits for it when a transaction is open. */
  sending(p: Promise<void>): void {
    if (!this.open()) return;
    this.sends.add(p);
    void p.finally(() => this.sends.delete(p));
  }

  /** Begin (`ending` false), commit or abort: `run` starts it and resolves when it is over (undefined: refused at once). */
  transaction(ending: boolean, run: () => Promise<void> | undefined): void {
    this.after(() => {
      const start = (): Promise<void> | undefined => {
        const r = run();
        if (!r) return undefined;
        const done: Promise<void> = r.finally(() => {
          if (this.step === done) this.step = null;
        });
        this.step = done;
        return done;
      };
      const sends = ending ? [...this.sends] : [];
      if (sends.length === 0) return void start();
      const waiting: Promise<void> = Promise.all(sends).then(() => {
        if (this.step === waiting) this.step = null;
        return start();
      });
      this.step = waiting;
    });
  }
}
