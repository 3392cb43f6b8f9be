-- Per-source sync state of workbook-relay. The same file runs on PostgreSQL 15 and on H2 2.3 in MODE=PostgreSQL,
-- so it sticks to types and syntax both understand and never quotes names (they fold consistently per database).
-- Every table is keyed by source_key first: one database holds the state of many sources and many relay instances.

-- Where the next sync of a source starts: a deltaLink (complete) or the nextLink checkpoint of an enumeration.
CREATE TABLE sync_cursor (
    source_key     VARCHAR(1000) NOT NULL,
    link           VARCHAR       NOT NULL,
    complete       BOOLEAN       NOT NULL,
    enumeration_id VARCHAR(200),
    updated_at     TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (source_key)
);

-- The last published image of each workbook (WorkbookImage as JSON) and the last enumeration that returned it,
-- so a full re-enumeration can tell which workbooks disappeared.
CREATE TABLE sync_workbook (
    source_key    VARCHAR(1000) NOT NULL,
    workbook_id   VARCHAR(400)  NOT NULL,
    image         VARCHAR       NOT NULL,
    last_seen_in  VARCHAR(200),
    updated_at    TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (source_key, workbook_id)
);

-- The worksheets of each stored workbook; they live and die with it.
CREATE TABLE sync_worksheet (
    source_key     VARCHAR(1000) NOT NULL,
    workbook_id    VARCHAR(400)  NOT NULL,
    worksheet_id   VARCHAR(400)  NOT NULL,
    name           VARCHAR(400)  NOT NULL,
    sheet_position INTEGER       NOT NULL,
    visibility     VARCHAR(40),
    PRIMARY KEY (source_key, workbook_id, worksheet_id),
    FOREIGN KEY (source_key, workbook_id) REFERENCES sync_workbook (source_key, workbook_id) ON DELETE CASCADE
);

-- Folder id -> (parent, name): delta pages after the first carry no paths, so paths are rebuilt from these.
CREATE TABLE sync_folder (
    source_key VARCHAR(1000) NOT NULL,
    folder_id  VARCHAR(400)  NOT NULL,
    parent_id  VARCHAR(400),
    name       VARCHAR(400),
    is_root    BOOLEAN       NOT NULL,
    PRIMARY KEY (source_key, folder_id)
);
