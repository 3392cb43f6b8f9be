-- A sheet's rows as just read, staged so the database aligns them with the stored rows (sync_row): memory in the
-- relay holds no row index however long the sheet. One read per read_id; cleared once its rows are stored, and all
-- of a workbook's by the source's lease holder before it reads the workbook again (leftovers of a killed relay).
CREATE TABLE sync_row_read (
    read_id      VARCHAR(36)   NOT NULL,
    source_key   VARCHAR(1000) NOT NULL,
    workbook_id  VARCHAR(400)  NOT NULL,
    row_position INTEGER       NOT NULL,
    row_hash     VARCHAR(64)   NOT NULL,
    -- null: the row has no usable key (none asked for, blank, or repeating an earlier row's) and is named by content
    row_key      VARCHAR(600),
    -- where the row's values are in the reading relay's spool file
    values_at    BIGINT        NOT NULL,
    PRIMARY KEY (read_id, row_position)
);
CREATE INDEX sync_row_read_key ON sync_row_read (read_id, row_key, row_position);
CREATE INDEX sync_row_read_workbook ON sync_row_read (source_key, workbook_id);

-- What the alignment made of each row of a read and of each stored row: its key now, and
-- c (created), u (updated), d (deleted) or = (same content, maybe moved).
CREATE TABLE sync_row_change (
    read_id      VARCHAR(36)   NOT NULL,
    source_key   VARCHAR(1000) NOT NULL,
    workbook_id  VARCHAR(400)  NOT NULL,
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
CREATE INDEX sync_row_change_workbook ON sync_row_change (source_key, workbook_id);

-- Rows ranked within a group while a read is aligned, read rows (side r) beside stored rows (side s), so the two
-- sides are joined on an index by group and rank: by content (grp = the hash, the n-th row with that content) and
-- then by gap (grp = the number of rows matched by content before the row). Empty outside an alignment's transaction.
CREATE TABLE sync_row_rank (
    read_id      VARCHAR(36)   NOT NULL,
    side         CHAR(1)       NOT NULL,
    grp          VARCHAR(64)   NOT NULL,
    nth          BIGINT        NOT NULL,
    row_position INTEGER       NOT NULL,
    row_key      VARCHAR(600),
    row_hash     VARCHAR(64),
    values_at    BIGINT,
    PRIMARY KEY (read_id, side, grp, nth)
);
