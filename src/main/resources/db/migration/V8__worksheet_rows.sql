-- The rows of worksheets whose rows are published (a source's rows option): per row its key, sheet row number,
-- content hash and values (the "before" of its next update). A sheet's rows are replaced together once their events
-- are acknowledged. Not tied to sync_workbook: a new workbook's rows are stored before the workbook itself.
CREATE TABLE sync_row (
    source_key   VARCHAR(1000) NOT NULL,
    workbook_id  VARCHAR(400)  NOT NULL,
    worksheet_id VARCHAR(400)  NOT NULL,
    row_key      VARCHAR(600)  NOT NULL,
    generated    BOOLEAN       NOT NULL,
    row_position INTEGER       NOT NULL,
    row_hash     VARCHAR(64)   NOT NULL,
    row_values   VARCHAR       NOT NULL,
    PRIMARY KEY (source_key, workbook_id, worksheet_id, row_key)
);

-- The header last published for each such worksheet (JSON array), and the number of the next generated row key.
CREATE TABLE sync_row_sheet (
    source_key   VARCHAR(1000) NOT NULL,
    workbook_id  VARCHAR(400)  NOT NULL,
    worksheet_id VARCHAR(400)  NOT NULL,
    columns_json VARCHAR       NOT NULL,
    next_row_id  BIGINT        NOT NULL,
    PRIMARY KEY (source_key, workbook_id, worksheet_id)
);
