-- Development data, loaded only by the dev profile (the README's run command) and only into an
-- empty table: restarting never duplicates it and never touches data you added.
-- user_id values match the users service's development users (1 caty88, 2 bob_smith, 3 alice).
insert into orders (id, date, state, user_id)
select * from (values
    (1, date '2026-03-01', 'PAID',   1),
    (2, date '2026-03-14', 'UNPAID', 1),
    (3, date '2026-04-02', 'UNPAID', 1),
    (4, date '2026-03-20', 'PAID',   2),
    (5, date '2026-04-05', 'UNPAID', 2),
    (6, date '2026-04-10', 'PAID',   3)
) as dev(id, date, state, user_id)
where not exists (select 1 from orders);

select setval(pg_get_serial_sequence('orders', 'id'), greatest((select max(id) from orders), 1));
