-- The lookup cache polls the status changes of the last seconds on every node (docs/security.md).
create index if not exists certificate_status_events_at on skillshub.certificate_status_events (at);
