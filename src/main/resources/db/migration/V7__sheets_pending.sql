-- A workbook whose worksheets could not be read (Graph refused or failed on its workbook API while the drive lists
-- it): its image is stored and published, its worksheets are read again at the next sync until they load.
ALTER TABLE sync_workbook ADD COLUMN sheets_pending BOOLEAN DEFAULT FALSE NOT NULL;
