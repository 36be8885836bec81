-- The type of work's key (0205) also leaves out the characters that show nothing (docs/certification.md, "Imports"; the
-- same characters a certificate leaves out of its drawing, `TextInput.ShowsNothing`): "pipe welding" with a zero-width
-- space, a soft hyphen or a zero-width joiner inside made another exam, and one person was certified twice for it, on two
-- certificates that print the same type of work (found by an outside tester). Whitespace is one space, as before, and the
-- ends are trimmed, so a space beside such a character is no space more. The class below is the invisible characters that
-- are not whitespace: controls, format characters, Unicode's default-ignorable code points (assigned or not), the braille
-- blank and the Hangul fillers; `WorkTypeKeyTests` checks it against `TextInput.ShowsNothing` for every code point.
create or replace function skillshub.work_type_key(work_type text) returns text
    language sql immutable strict parallel safe
    as $$ select lower(btrim(regexp_replace(regexp_replace(normalize(work_type, NFKC),
        '[\u0001-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u00AD\u034F\u0600-\u0605\u061C\u06DD\u070F\u0890-\u0891\u08E2\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u2800\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFFB\U000110BD\U000110CD\U00013430-\U0001343F\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0000-\U000E0FFF]',
        '', 'g'), '[\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+', ' ', 'g'), ' ')) $$;
