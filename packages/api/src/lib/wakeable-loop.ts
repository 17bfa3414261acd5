/** A background worker's run loop that a caller can also wake early (after writing work for it). */
export interface WakeableLoop {
  /**
   * Runs every `intervalMs` until {@link WakeableLoop.stop}; a run that reports more work
   * waiting is followed at once by the next. Runs never overlap; starting a running loop does nothing.
   */
  start(intervalMs: number): void;
  /** Runs soon (after `wakeDelayMs`, which gathers a burst of wakes into one run); after the current run if one is going. */
  wake(): void;
  /** Stops the loop and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * The loop around a worker's run: `run` resolves to true when it stopped at its batch
 * size with more to do; a failed run is handed to `onError` and the loop goes on.
 * Timers are unref'd: the loop alone never keeps a Node process alive.
 */
export function createWakeableLoop(
  run: () => Promise<boolean>,
  onError: (error: unknown) => void,
  wakeDelayMs: number,
): WakeableLoop {
  let stopped = true;
  let intervalMs = 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dueAt = 0;
  let running: Promise<void> | undefined;
  let wakeRequested = false;

  function schedule(ms: number): void {
    if (stopped) return;
    const at = Date.now() + ms;
    // An earlier run already scheduled serves this request too.
    if (timer && dueAt <= at) return;
    if (timer) clearTimeout(timer);
    dueAt = at;
    timer = setTimeout(tick, ms);
    (timer as { unref?: () => void }).unref?.();
  }

  function tick(): void {
    timer = undefined;
    running = (async () => {
      let more = false;
      try {
        more = await run();
      } catch (error) {
        onError(error);
      }
      running = undefined;
      if (more) schedule(0);
      else if (wakeRequested) schedule(wakeDelayMs);
      else schedule(intervalMs);
      wakeRequested = false;
    })();
  }

  return {
    wake() {
      if (stopped) return;
      if (running) wakeRequested = true;
      else schedule(wakeDelayMs);
    },
    start(ms) {
      if (!Number.isInteger(ms) || ms < 1) throw new Error(`intervalMs must be a positive integer, got ${ms}`);
      if (!stopped) return;
      stopped = false;
      intervalMs = ms;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
