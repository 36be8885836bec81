-- cert_runs holds the runs an agency officer starts: rating and issuing a session. The promotions job
-- and the consistency check never had a run row (Hangfire tracks them), so their kinds go.
alter table skillshub.cert_runs drop constraint cert_runs_kind_check;
alter table skillshub.cert_runs add constraint cert_runs_kind_check check (kind in ('rate', 'issue'));
