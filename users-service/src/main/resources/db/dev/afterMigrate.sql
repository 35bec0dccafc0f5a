-- Development data, loaded only by the dev profile (the README's run command) and only into an
-- empty table: restarting never duplicates it and never touches data you added.
insert into users (id, username, email, date_joined)
select * from (values
    (1, 'caty88',    'caty@dev.io',    timestamptz '2026-01-05 09:00:00+00'),
    (2, 'bob_smith', 'bob@dev.io',     timestamptz '2026-01-12 14:30:00+00'),
    (3, 'alice',     'alice@dev.io',   timestamptz '2026-02-01 08:15:00+00'),
    (4, 'staffer',   'staff@dev.io',   timestamptz '2026-02-20 17:45:00+00')
) as dev(id, username, email, date_joined)
where not exists (select 1 from users);

select setval(pg_get_serial_sequence('users', 'id'), greatest((select max(id) from users), 1));
