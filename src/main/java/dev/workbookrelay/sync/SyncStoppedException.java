package dev.workbookrelay.sync;

/** An item reached a workbook thread after its sync had failed: it is not read (the sync's failure is reported). */
final class SyncStoppedException extends RuntimeException {

    SyncStoppedException(String syncId) {
        super("sync " + syncId + " stopped on an earlier failure", null, false, false);
    }
}
