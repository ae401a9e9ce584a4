/**
 * Resolves on the first SIGINT or SIGTERM. Call it before printing that a server is ready:
 * whoever reads that line may stop the process at once, and a signal that arrives before a
 * listener exists kills the process without closing its database or sockets.
 */
export function stopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
