-- A sheet's rows as just read, staged so the database aligns them with the stored rows (sync_row): the relay's heap
-- holds no row index however long the sheet. Each read has a random id; its rows are cleared once they are stored,
-- and every read of a workbook by the source's lease holder before it reads the workbook again (leftovers of a
-- relay that died while it read).
CREATE TABLE sync_row_reading (
    read_id      BIGINT        NOT NULL PRIMARY KEY,
    source_key   VARCHAR(1000) NOT NULL,
    workbook_id  VARCHAR(400)  NOT NULL
);
CREATE INDEX sync_row_reading_workbook ON sync_row_reading (source_key, workbook_id);

-- The rows of a read, in sheet order.
CREATE TABLE sync_row_read (
    read_id      BIGINT        NOT NULL,
    row_position INTEGER       NOT NULL,
    row_hash     VARCHAR(64)   NOT NULL,
    -- null: the row has no usable key (none asked for, blank, or repeating an earlier row's) and is named by content
    row_key      VARCHAR(600),
    -- where the row's values are in the reading relay's spool file
    values_at    BIGINT        NOT NULL,
    PRIMARY KEY (read_id, row_position)
);
CREATE INDEX sync_row_read_key ON sync_row_read (read_id, row_key, row_position);

-- What the alignment made of the rows of a read and of the stored rows: a row's key now, and
-- c (created), u (updated), d (deleted) or = (same content; left out for a keyed row that did not move, unless the
-- outcome is to list every row).
CREATE TABLE sync_row_change (
    read_id      BIGINT        NOT NULL,
    row_key      VARCHAR(600)  NOT NULL,
    generated    BOOLEAN       NOT NULL,
    change_op    CHAR(1)       NOT NULL,
    -- the row's position now (null when deleted) and as stored (null when created)
    row_position INTEGER,
    old_position INTEGER,
    row_hash     VARCHAR(64),
    values_at    BIGINT,
    PRIMARY KEY (read_id, row_key)
);
CREATE INDEX sync_row_change_position ON sync_row_change (read_id, row_position);

-- Rows ranked within a group while a read is aligned, read rows (side r) beside stored rows (side s), so the two
-- sides are joined on an index by group and rank: by content (grp = the hash, the n-th row with that content) and
-- then by gap (grp = the number of rows matched by content before the row). Empty outside an alignment's transaction.
CREATE TABLE sync_row_rank (
    read_id      BIGINT        NOT NULL,
    side         CHAR(1)       NOT NULL,
    grp          VARCHAR(64)   NOT NULL,
    nth          BIGINT        NOT NULL,
    row_position INTEGER       NOT NULL,
    row_key      VARCHAR(600),
    row_hash     VARCHAR(64),
    values_at    BIGINT,
    PRIMARY KEY (read_id, side, grp, nth)
);
