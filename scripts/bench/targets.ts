/** The speed and size targets of the benchmarks (issues 7 and 18), one place for both scripts. */
export const TARGETS = {
  /**
   * apply(N=1000) / apply(N=10), wall. Restated from 1.2 in issue 18: the import-graph and
   * secret checks read every source once, and they stay.
   */
  growth: 2.0,
  vsNoop: 0.2, // apply(N=1000) / noop(N=1000)
  wallMs: 1500, // apply(N=1000)
  installMiB: 35, // disk taken by installing the packed tool for apply/check (npm run bench:install)
};
