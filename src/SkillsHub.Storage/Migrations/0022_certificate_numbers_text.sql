-- Certificate numbers become text (still exactly 22 characters). As char(22) they were compared with
-- the text parameters every query sends by casting the column, which no index serves: each public
-- lookup read the whole certificates table.
alter table skillshub.certificates alter column number type text;
alter table skillshub.certificates add constraint certificates_number_length check (length(number) = 22);
alter table skillshub.evaluations alter column certificate_number type text;
alter table skillshub.credentials alter column number type text;
alter table skillshub.certificate_status_events alter column number type text;
alter table skillshub.certificate_photos alter column number type text;
alter table skillshub.certificate_pdfs alter column number type text;
