-- Certificates for competition promotions (docs/certification.md, issue #7): the promotions job records who
-- earned a level from published results; an agency officer supplies the holder's ID and issues the
-- certificate through the same serial counters as batch issuance. A certificate comes from an
-- evaluation or from a promotion, never both, and a promotion yields at most one certificate, whoever
-- issues it and however often.
alter table skillshub.certificates add column promotion_id bigint references skillshub.promotions (id);
alter table skillshub.certificates add constraint certificates_promotion_id_key unique (promotion_id);
alter table skillshub.certificates add constraint certificates_one_source check (evaluation_id is null or promotion_id is null);
-- Who issued a single certificate by hand (batch issuance records its run instead).
alter table skillshub.certificates add column issued_by text;
