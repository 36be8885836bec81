// A board's first reads (docs/pages.md, "Errors"): only the server's "unknown" (a 404 problem) makes a board a
// not-found page. No answer (offline, a timeout, a database outage's 503) or any other refusal is read again,
// the board saying it cannot reach the server, until the data comes.
import { getJson, ProblemError, untilAnswered } from '../kernel/http';

/** The answer to `url`, or null when the server says it does not exist; `waiting` is told the seconds to each retry. */
export async function firstRead<T>(url: string, waiting: (seconds: number) => void): Promise<T | null> {
  for (;;) {
    try {
      return await untilAnswered(() => getJson<T>(url), (_, seconds) => waiting(seconds));
    } catch (e) {
      if (e instanceof ProblemError && e.status === 404 && e.problem.code !== 'http-404') return null;
      // Any other refusal (a 500 while a node starts) is not "unknown" either: wait and read again.
      waiting(10);
      await new Promise((resolve) => setTimeout(resolve, 10000));
    }
  }
}
