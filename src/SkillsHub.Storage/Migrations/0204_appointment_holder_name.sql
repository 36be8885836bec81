-- An appointment keeps the name the appointing agency has for the person (docs/certification.md, "Levels held"): another
-- agency counts the appointment only under that name. It was counted under the register's name, which is whichever agency
-- registered the ID first (found by an outside tester). Existing appointments take the appointing agency's name by the
-- same rule as new ones: its latest certificate of the person, else its latest candidates file's, else the register's.
alter table skillshub.appointments add column holder_name text;

update skillshub.appointments a set holder_name = coalesce(
    (select k.holder_name from skillshub.certificates k where k.candidate_id = a.candidate_id and k.agency_key = a.agency_key
      order by k.issued_on desc, k.number desc limit 1),
    (select coalesce(e.holder_name, c.name) from skillshub.evaluations e join skillshub.evaluation_sessions s on s.id = e.session_id
       join skillshub.candidates c on c.id = e.candidate_id where e.candidate_id = a.candidate_id and s.agency_key = a.agency_key
      order by e.id desc limit 1),
    (select c.name from skillshub.candidates c where c.id = a.candidate_id));

alter table skillshub.appointments alter column holder_name set not null;
