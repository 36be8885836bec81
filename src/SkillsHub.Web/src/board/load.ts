// A board's first reads (docs/pages.md, "Errors"): only the server's "unknown" (a 404 problem) makes a board a
// not-found page. No answer (offline, a timeout, a proxy's 502) or any other refusal (a database outage's 503, a 500)
// is read again until the data comes, the board saying which: the server out of reach, or the server answering with
// an error (an outside tester: a 500 told spectators to check their own connection).
import { getJson, ProblemError, serverAnswered as answered, untilAnswered } from '../kernel/http';

/**
 * The answer to `url`, or null when the server says it does not exist; `waiting` is told the seconds to each retry and
 * whether the server answered with an error.
 */
export async function firstRead<T>(url: string, waiting: (seconds: number, serverError: boolean) => void): Promise<T | null> {
  for (;;) {
    try {
      return await untilAnswered(() => getJson<T>(url), (e, seconds) => waiting(seconds, answered(e)));
    } catch (e) {
      if (e instanceof ProblemError && e.status === 404 && e.problem.code !== 'http-404') return null;
      // Any other refusal (a 500 while a node starts) is not "unknown" either: wait and read again.
      waiting(10, answered(e));
      await new Promise((resolve) => setTimeout(resolve, 10000));
    }
  }
}
