-- Claims stay owned while their owner is alive: a lease the owner renews as it works through its
-- queue (lease_until, wall-clock time), and a fencing token (fence) that every takeover increments,
-- so an owner that lost its claim finds out before it posts. Rows from before this migration have
-- no lease and count as expired.
ALTER TABLE deliveries ADD COLUMN lease_until TEXT;
ALTER TABLE deliveries ADD COLUMN fence INTEGER NOT NULL DEFAULT 1;
