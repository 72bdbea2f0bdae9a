-- Version 2: serve the most informative items from an index instead of sorting the whole project per request.
-- scored = 1 once an uncertainty score was given; the order is scored first, highest uncertainty, oldest.
ALTER TABLE items ADD COLUMN scored INTEGER NOT NULL DEFAULT 0;
UPDATE items SET scored = 1 WHERE uncertainty IS NOT NULL;
CREATE INDEX items_informative ON items (project_id, scored DESC, uncertainty DESC, id);
