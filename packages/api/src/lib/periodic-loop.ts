/** A background job's run loop: `start` and `stop` of a worker. */
export interface PeriodicLoop {
  /**
   * Runs every `intervalMs` until {@link PeriodicLoop.stop}; a run that reports more
   * work waiting is followed at once by the next. Runs never overlap; starting a
   * running loop does nothing.
   */
  start(intervalMs: number): void;
  /** Stops the loop and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

interface LoopState {
  stopped: boolean;
  timer?: ReturnType<typeof setTimeout>;
  run?: Promise<void>;
}

/**
 * The loop around a worker's `runOnce`. `run` resolves to true when it stopped at its
 * batch size with more to do; a failed run is handed to `onError` and the loop goes on.
 */
export function createPeriodicLoop(run: () => Promise<boolean>, onError: (error: unknown) => void): PeriodicLoop {
  // One state object per start(), so a loop stopped while its run finishes cannot
  // be revived by a later start() and run alongside the new one.
  let current: LoopState | undefined;
  return {
    start(intervalMs) {
      if (!Number.isInteger(intervalMs) || intervalMs < 1)
        throw new Error(`intervalMs must be a positive integer, got ${intervalMs}`);
      if (current && !current.stopped) return;
      const loop: LoopState = { stopped: false };
      current = loop;
      const wait = (ms: number) => {
        loop.timer = setTimeout(tick, ms);
        // Node: a worker alone must not keep a process (a test run, a CLI) alive.
        (loop.timer as { unref?: () => void }).unref?.();
      };
      const tick = () => {
        loop.timer = undefined;
        loop.run = (async () => {
          let more = false;
          try {
            more = await run();
          } catch (error) {
            onError(error);
          }
          if (!loop.stopped) wait(more ? 0 : intervalMs);
        })();
      };
      wait(0);
    },
    async stop() {
      const loop = current;
      if (!loop) return;
      loop.stopped = true;
      if (loop.timer) clearTimeout(loop.timer);
      await loop.run;
    },
  };
}
