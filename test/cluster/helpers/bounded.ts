/**
 * Every wait in a cluster test is bounded: a promise that never settles (a watch that never
 * fires, a request a member never answers) must fail the test with a message, so its
 * `finally` runs, closes its clients and stops its members — an unbounded wait instead
 * leaves the test file's process alive with reconnecting clients and nothing to end it.
 */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
