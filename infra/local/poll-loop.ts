/**
 * Runs a task over and over with a pause between runs (never overlapping), until stopped. `wake()` cuts
 * the pause short, so work that arrives (a published event) is picked up without waiting a full interval.
 */
export interface PollLoop {
  wake(): void;
  /** Resolves after the run in progress, if any, has finished. */
  stop(): Promise<void>;
}

export const startPollLoop = (
  task: () => Promise<void>,
  intervalMs: number,
  onError: (error: unknown) => void,
): PollLoop => {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wakeEarly: (() => void) | undefined;
  let woken = false;

  const pause = () =>
    new Promise<void>((resolve) => {
      if (woken || stopped) return resolve();
      wakeEarly = resolve;
      timer = setTimeout(resolve, intervalMs);
    });

  const running = (async () => {
    while (!stopped) {
      woken = false;
      try {
        await task();
      } catch (error) {
        onError(error);
      }
      await pause();
      clearTimeout(timer);
      wakeEarly = undefined;
    }
  })();

  return {
    wake() {
      woken = true;
      wakeEarly?.();
    },
    async stop() {
      stopped = true;
      wakeEarly?.();
      await running;
    },
  };
};
