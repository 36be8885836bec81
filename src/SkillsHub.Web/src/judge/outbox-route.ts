// Where the outbox was opened from, so leaving it (its back button, Escape) returns there: the sheet being marked, not the
// competitor list (found by an outside tester).
let from = '';

export function openOutbox(): void {
  if (location.hash !== '#/outbox') from = location.hash;
  location.hash = '#/outbox';
}

export function leaveOutbox(): void {
  location.hash = from;
  from = '';
}
