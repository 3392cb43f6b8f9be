-- Whether the enumeration a checkpoint belongs to publishes snapshots (a first or full sync): a relay that resumes
-- it after a crash must publish the rest as snapshots too, so that re-published events keep their ce_id.
ALTER TABLE sync_cursor ADD COLUMN snapshot BOOLEAN DEFAULT FALSE NOT NULL;
