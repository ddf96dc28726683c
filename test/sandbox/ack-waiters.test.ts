// acks=all produce requests waiting for the high watermark: each times out at its own request timeout, however many
// wait at once and whichever of them are acknowledged before.
import { describe, expect, it } from 'vitest';
import { AckWaiters } from '../../src/sandbox/cluster/ack-waiters.js';
import { ErrorCode } from '../../src/wire/error-codes.js';
import { FakeClock, settle } from '../helpers/fake-clock.js';

describe('AckWaiters', () => {
  it('answers each waiter when acknowledged, or REQUEST_TIMED_OUT at its own timeout, never earlier', async () => {
    const clock = new FakeClock();
    const waiters = new AckWaiters(clock);
    const answers = new Map<string, number>();
    const track = (name: string, p: Promise<number>) => void p.then((code) => answers.set(name, code));
    track('long', waiters.wait(10, 30_000));
    track('acked', waiters.wait(5, 30_000));
    track('short', waiters.wait(20, 1_000));
    // The high watermark reaches 5: the first two are covered only up to 5.
    waiters.settle((covering) => (covering <= 5 ? ErrorCode.NONE : undefined));
    await settle();
    expect(answers).toEqual(new Map([['acked', ErrorCode.NONE]]));
    await clock.advance(999);
    expect(answers.has('short')).toBe(false);
    await clock.advance(1);
    expect(answers.get('short')).toBe(ErrorCode.REQUEST_TIMED_OUT);
    // A shorter timeout than one already waiting still fires at its own time.
    track('later', waiters.wait(30, 500));
    await clock.advance(499);
    expect(answers.has('later')).toBe(false);
    await clock.advance(1);
    expect(answers.get('later')).toBe(ErrorCode.REQUEST_TIMED_OUT);
    await clock.advance(28_499);
    expect(answers.has('long')).toBe(false);
    await clock.advance(1);
    expect(answers.get('long')).toBe(ErrorCode.REQUEST_TIMED_OUT);
  });
});
